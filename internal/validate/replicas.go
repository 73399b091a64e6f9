package validate

import "fmt"

// ReplicaCount checks one replica count against the provider's replicas-per-region limit and
// returns a message for the user, or "" when the count is valid.
func ReplicaCount(count, maxCount int64) string {
	if count >= 1 && count <= maxCount {
		return ""
	}
	return fmt.Sprintf("The replica count %d is out of range: it must be between 1 and %d (the provider's "+
		"service_limits.max_replicas_per_region). Use a count from 1 to %d, or, if the service allows more "+
		"replicas per region for your subscription (Azure currently documents up to 10), raise "+
		"service_limits.max_replicas_per_region in the provider block.", count, maxCount, maxCount)
}
