package clients

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// ComputeFor returns the compute client factory for a subscription: the configured one for the
// provider's own subscription (or ""), otherwise one built once per subscription with the same
// credential and options, so that an ID in another subscription (a central gallery, a workload
// team's VMs) is read and written where it lives.
func (c *Client) ComputeFor(subscriptionID string) (*armcompute.ClientFactory, error) {
	if subscriptionID == "" || strings.EqualFold(subscriptionID, c.SubscriptionID) || c.Credential == nil {
		return c.Compute, nil
	}
	key := strings.ToLower(subscriptionID)
	c.factoriesMu.Lock()
	defer c.factoriesMu.Unlock()
	if f, ok := c.factories[key]; ok {
		return f, nil
	}
	f, err := armcompute.NewClientFactory(subscriptionID, c.Credential, c.ARMOptions)
	if err != nil {
		return nil, fmt.Errorf("building the Azure Compute client for subscription %s: %w", subscriptionID, err)
	}
	if c.factories == nil {
		c.factories = map[string]*armcompute.ClientFactory{}
	}
	c.factories[key] = f
	return f, nil
}
