package clients

import "testing"

func TestComputeFor(t *testing.T) {
	c, err := New(Options{SubscriptionID: "aaaaaaaa-0000-0000-0000-000000000001", Credential: staticToken{}, Limits: DefaultServiceLimits()})
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"", "aaaaaaaa-0000-0000-0000-000000000001", "AAAAAAAA-0000-0000-0000-000000000001"} {
		if f, err := c.ComputeFor(sub); err != nil || f != c.Compute {
			t.Errorf("ComputeFor(%q) = %p, %v; want the configured factory", sub, f, err)
		}
	}
	other, err := c.ComputeFor("bbbbbbbb-0000-0000-0000-000000000002")
	if err != nil || other == nil || other == c.Compute {
		t.Fatalf("ComputeFor(another subscription) = %p, %v; want a new factory", other, err)
	}
}
