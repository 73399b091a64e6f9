package validate

import (
	"strings"
	"testing"
)

func TestReplicaCount(t *testing.T) {
	cases := []struct {
		count, max int64
		ok         bool
	}{
		{1, 3, true},
		{3, 3, true},
		{0, 3, false},
		{-1, 3, false},
		{4, 3, false},
		{10, 10, true},
		{11, 10, false},
	}
	for _, c := range cases {
		msg := ReplicaCount(c.count, c.max)
		if (msg == "") != c.ok {
			t.Errorf("ReplicaCount(%d, %d) = %q, want ok=%v", c.count, c.max, msg, c.ok)
		}
		if msg != "" && !strings.Contains(msg, "service_limits.max_replicas_per_region") {
			t.Errorf("message does not name the limit setting: %q", msg)
		}
	}
}
