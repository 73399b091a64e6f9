package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rssSampler watches the provider processes Terraform starts (their argv[0] is the provider
// binary) and keeps the highest VmHWM (peak resident set) each one reached. Linux only: on
// other systems it reports nothing.
type rssSampler struct {
	binary string
	stop   chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	peakKB map[int]int64 // pid → VmHWM in kB
}

// startRSSSampler samples every interval until Stop.
func startRSSSampler(binary string, interval time.Duration) *rssSampler {
	s := &rssSampler{binary: binary, stop: make(chan struct{}), done: make(chan struct{}), peakKB: map[int]int64{}}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				s.sample()
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends the sampling and returns the highest peak RSS in MiB and how many provider
// processes were seen.
func (s *rssSampler) Stop() (float64, int) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	var peak int64
	for _, kb := range s.peakKB {
		peak = max(peak, kb)
	}
	return float64(peak) / 1024, len(s.peakKB)
}

func (s *rssSampler) sample() {
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		cmd, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err != nil {
			continue
		}
		argv0, _, _ := bytes.Cut(cmd, []byte{0})
		if string(argv0) != s.binary {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", d.Name(), "status"))
		if err != nil {
			continue
		}
		if kb, ok := vmHWM(string(status)); ok {
			s.mu.Lock()
			s.peakKB[pid] = max(s.peakKB[pid], kb)
			s.mu.Unlock()
		}
	}
}

// vmHWM reads "VmHWM:   123456 kB" from /proc/<pid>/status.
func vmHWM(status string) (int64, bool) {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			n, err := strconv.ParseInt(f[0], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
