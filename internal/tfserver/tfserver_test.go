package tfserver

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/provider"
)

type payloadKey struct{}

// retained reports whether the framework server ps still references the context of a
// GetMetadata call once it has returned.
func retained(t *testing.T, ps tfprotov6.ProviderServer) bool {
	t.Helper()
	payload := new([1 << 10]byte)
	w := weak.Make(payload)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), payloadKey{}, payload))
	if _, err := ps.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{}); err != nil {
		t.Fatal(err)
	}
	cancel() // as gRPC does once the handler returns
	runtime.GC()
	runtime.GC()
	runtime.KeepAlive(ps)
	return w.Value() != nil
}

func TestWrap_releasesRequestContexts(t *testing.T) {
	if retained(t, NewProtocol6(provider.New("test")())()) {
		t.Error("the wrapped framework server still references a served request's context")
	}
	// What the wrapper is for. Should a framework upgrade stop this, the wrapper can go.
	if !retained(t, providerserver.NewProtocol6(provider.New("test")())()) {
		t.Log("the framework's own server no longer keeps request contexts: tfserver's wrapper may no longer be needed")
	}
}

// fake behaves like the framework's server: every RPC registers a cancelable context
// that only StopProvider cancels and forgets.
type fake struct {
	fullServer

	mu      sync.Mutex
	cancels []context.CancelFunc
	stops   int
	// seen is the context each GetMetadata was given (after registering it).
	seen chan context.Context
}

func (f *fake) register(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cancels = append(f.cancels, cancel)
	return ctx
}

func (f *fake) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.cancels {
		c()
	}
	f.cancels = nil
	f.stops++
	return &tfprotov6.StopProviderResponse{}, nil
}

// blockKey's value in a GetMetadata context is a channel that GetMetadata sends on once
// its context is registered, then waits on.
type blockKey struct{}

func (f *fake) GetMetadata(ctx context.Context, _ *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	ctx = f.register(ctx)
	if f.seen != nil {
		f.seen <- ctx
	}
	if ch, ok := ctx.Value(blockKey{}).(chan struct{}); ok {
		ch <- struct{}{}
		<-ch
	}
	return &tfprotov6.GetMetadataResponse{}, ctx.Err()
}

func (f *fake) ListResource(ctx context.Context, _ *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	ctx = f.register(ctx)
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		for range 3 {
			name, _ := ctx.Value(payloadKey{}).(string)
			if ctx.Err() != nil || !yield(tfprotov6.ListResourceResult{DisplayName: name}) {
				return
			}
		}
	}}, nil
}

// A served request's context is freed although the server keeps what it registered and
// another RPC is still in flight (Terraform runs up to -parallelism at once, so an apply
// is rarely idle).
func TestServer_releasesWhileOthersAreInFlight(t *testing.T) {
	f := &fake{}
	s := &Server{inner: f}
	block := make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := s.GetMetadata(context.WithValue(context.Background(), blockKey{}, block), nil)
		done <- err
	}()
	<-block // in flight
	payload := new([1 << 10]byte)
	w := weak.Make(payload)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), payloadKey{}, payload))
	if _, err := s.GetMetadata(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cancel()
	runtime.GC()
	runtime.GC()
	if w.Value() != nil {
		t.Error("a served request's context is still referenced while another RPC is in flight")
	}
	close(block)
	if err := <-done; err != nil {
		t.Errorf("the RPC in flight saw its context end: %v", err)
	}
	if n := len(f.cancels); n != 2 || f.stops != 0 {
		t.Errorf("the server registered %d contexts and was stopped %d times; the wrapper must not stop it", n, f.stops)
	}
}

// During the RPC the framework sees the request's values and cancellation; afterwards the
// context it kept reads as canceled, with no values.
func TestServer_contextDuringAndAfterTheRPC(t *testing.T) {
	f := &fake{seen: make(chan context.Context, 1)}
	s := &Server{inner: f}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), payloadKey{}, "request"))
	block := make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := s.GetMetadata(context.WithValue(parent, blockKey{}, block), nil)
		done <- err
	}()
	got := <-f.seen
	<-block
	if v := got.Value(payloadKey{}); v != "request" || got.Err() != nil {
		t.Errorf("during the RPC: value %v, err %v; want the request's value and no error", v, got.Err())
	}
	cancel() // as Terraform's StopProvider or gRPC would
	select {
	case <-got.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("canceling the request did not reach the framework's context")
	}
	close(block)
	if err := <-done; err == nil {
		t.Error("the RPC did not see its cancellation")
	}
	if v := got.Value(payloadKey{}); v != nil || got.Err() == nil {
		t.Errorf("after the RPC: value %v, err %v; want none and canceled", v, got.Err())
	}
}

func TestServer_streamKeepsItsContextUntilRead(t *testing.T) {
	f := &fake{}
	s := &Server{inner: f}
	resp, err := s.ListResource(context.WithValue(context.Background(), payloadKey{}, "x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for r := range resp.Results {
		names = append(names, r.DisplayName)
	}
	if len(names) != 3 || names[0] != "x" {
		t.Errorf("read %q, want three results that saw the request's context", names)
	}
	// Read once more: the context has ended, its values are gone.
	for r := range resp.Results {
		if r.DisplayName != "" {
			t.Fatal("a stream read again after its end still saw the request's context")
		}
	}
}

func TestServer_stopProviderPassesThrough(t *testing.T) {
	f := &fake{}
	s := &Server{inner: f}
	f.register(context.Background())
	if _, err := s.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	if n, stops := len(f.cancels), f.stops; n != 0 || stops != 1 {
		t.Errorf("after StopProvider: %d registered, %d stops", n, stops)
	}
}
