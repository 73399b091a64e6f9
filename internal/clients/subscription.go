package clients

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// ComputeFor returns the compute client factory for a subscription: the configured one for the
// provider's own subscription (or ""), otherwise one with the same credential and options, so
// that an ID in another subscription (a central gallery) is read where it lives.
func (c *Client) ComputeFor(subscriptionID string) (*armcompute.ClientFactory, error) {
	if subscriptionID == "" || strings.EqualFold(subscriptionID, c.SubscriptionID) {
		return c.Compute, nil
	}
	return armcompute.NewClientFactory(subscriptionID, c.Credential, c.ARMOptions)
}
