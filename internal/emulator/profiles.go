package emulator

import (
	"fmt"
	"strings"
	"time"
)

// Latency profiles: Config.Profile picks the durations Config leaves at zero.
const (
	// ProfileFast is short latencies for tests (Config's default).
	ProfileFast = "fast"
	// ProfileDemo is the emulator command's default (make demo, make emulator): seconds per
	// operation, slow enough to watch an apply, and the "default emulator latencies" issue 10's
	// targets are stated at.
	ProfileDemo = "demo"
	// ProfileAzure is the latencies documented or observed on the real service (NOTES.md, "Latency").
	ProfileAzure = "azure"
)

// Profiles lists the profile names Config.Profile accepts.
var Profiles = []string{ProfileFast, ProfileDemo, ProfileAzure}

// latencies is one profile's durations; a negative RetryAfter sends no Retry-After header.
type latencies struct {
	Replication, ReplicationPerRegion, Update, Delete, Operation, Install, DeleteLag, RetryAfter time.Duration
}

func profileLatencies(name string) (latencies, error) {
	switch strings.ToLower(name) {
	case "", ProfileFast:
		return latencies{Replication: 2 * time.Second, RetryAfter: time.Second, DeleteLag: 2 * time.Second, Install: time.Second}, nil
	case ProfileDemo:
		return latencies{
			Replication: 10 * time.Second,
			Update:      2 * time.Second,
			Delete:      2 * time.Second,
			Operation:   2 * time.Second,
			Install:     5 * time.Second,
			DeleteLag:   20 * time.Second,
			RetryAfter:  time.Second,
		}, nil
	case ProfileAzure:
		return latencies{
			Replication:          6 * time.Minute,
			ReplicationPerRegion: 2 * time.Minute,
			Update:               3 * time.Minute,
			Delete:               3 * time.Minute,
			Operation:            time.Second,
			Install:              90 * time.Second,
			DeleteLag:            20 * time.Second,
			RetryAfter:           -1, // the service sends none; clients poll at their own frequency
		}, nil
	}
	return latencies{}, fmt.Errorf("emulator: unknown profile %q (want one of %s)", name, strings.Join(Profiles, ", "))
}

// ProfileLatencies is the configuration a profile gives a Config that sets no latency (at time
// scale 1): what the emulator command shows as its flags' defaults.
func ProfileLatencies(profile string) (Config, error) {
	c := Config{Profile: profile}
	err := applyProfile(&c)
	return c, err
}

// applyProfile fills the zero latencies of cfg from its profile, then multiplies every latency by
// cfg.TimeScale (when set).
func applyProfile(cfg *Config) error {
	p, err := profileLatencies(cfg.Profile)
	if err != nil {
		return err
	}
	fill := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	fill(&cfg.ReplicationTime, p.Replication)
	fill(&cfg.ReplicationTimePerRegion, p.ReplicationPerRegion)
	fill(&cfg.RetryAfter, p.RetryAfter)
	if p.Operation == 0 && cfg.RetryAfter > 0 {
		p.Operation = cfg.RetryAfter / 2
	}
	fill(&cfg.OperationTime, p.Operation)
	fill(&cfg.OperationTime, 500*time.Millisecond)
	fill(&cfg.UpdateTime, max(p.Update, cfg.OperationTime))
	fill(&cfg.DeleteTime, max(p.Delete, cfg.OperationTime))
	fill(&cfg.InstallTime, p.Install)
	if cfg.DeleteLag == 0 {
		cfg.DeleteLag = p.DeleteLag
	} else if cfg.DeleteLag < 0 {
		cfg.DeleteLag = 0
	}
	if cfg.TimeScale < 0 {
		return fmt.Errorf("emulator: time scale %v is negative", cfg.TimeScale)
	}
	if cfg.TimeScale > 0 && cfg.TimeScale != 1 {
		for _, d := range []*time.Duration{&cfg.ReplicationTime, &cfg.ReplicationTimePerRegion, &cfg.RetryAfter, &cfg.OperationTime,
			&cfg.UpdateTime, &cfg.DeleteTime, &cfg.InstallTime, &cfg.DeleteLag} {
			if *d > 0 {
				*d = max(time.Millisecond, time.Duration(float64(*d)*cfg.TimeScale))
			}
		}
	}
	return nil
}
