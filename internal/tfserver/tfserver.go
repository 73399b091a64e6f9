// Package tfserver serves the provider over protocol 6 like providerserver.Serve, with
// a wrapper around the framework's ProviderServer that keeps it from retaining every
// request's context.
//
// terraform-plugin-framework (v1.19.0, internal/proto6server/serve.go, registerContext)
// starts each RPC with context.WithCancel and appends the CancelFunc to a slice on the
// server that only StopProvider empties. Each CancelFunc keeps its context and all its
// parents alive: terraform-plugin-go's per-request logging contexts with their hclog
// loggers, and gRPC's stream context with the stream. A provider process retained about
// 11 KB per RPC for as long as it ran (the bench's provider RSS grew from 37 to 67 MiB
// between estates of 10 and 200 objects).
//
// The wrapper hands the framework, for each RPC, a context that forwards to the RPC's own
// until the RPC has returned (a streamed response: until its results have been read), then
// reads as canceled with no values: gRPC cancels an RPC's context when its handler returns,
// so nothing changes for code that still holds it, except that the request's values (its
// loggers) are gone. What the framework keeps of an RPC is then that small forwarding
// context, about a hundred bytes, and the request itself is freed.
package tfserver

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve serves the provider like providerserver.Serve, with the server NewProtocol6
// returns. Only protocol 6 is served.
func Serve(_ context.Context, providerFunc func() provider.Provider, opts providerserver.ServeOpts) error {
	if opts.ProtocolVersion != 0 && opts.ProtocolVersion != 6 {
		return fmt.Errorf("unable to validate ServeOpts: ProtocolVersion %d: only protocol 6 is served", opts.ProtocolVersion)
	}
	if parts := strings.Split(opts.Address, "/"); len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return fmt.Errorf("unable to validate ServeOpts: expected hostname/namespace/type format, got: %q", opts.Address)
	}
	var serveOpts []tf6server.ServeOpt
	if opts.Debug {
		serveOpts = append(serveOpts, tf6server.WithManagedDebug())
	}
	// As providerserver.Serve does, a new provider each time tf6server asks for a server.
	return tf6server.Serve(opts.Address, func() tfprotov6.ProviderServer {
		return Wrap(providerserver.NewProtocol6(providerFunc())())
	}, serveOpts...)
}

// NewProtocol6 is providerserver.NewProtocol6 with the returned server wrapped by Wrap.
func NewProtocol6(p provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return Wrap(providerserver.NewProtocol6(p)())
	}
}

// NewProtocol6WithError is providerserver.NewProtocol6WithError with the returned
// server wrapped by Wrap.
func NewProtocol6WithError(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		return Wrap(providerserver.NewProtocol6(p)()), nil
	}
}

// fullServer is every RPC the framework's server implements.
type fullServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // the framework implements it; tf6server asks for it
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // idem
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // idem
}

var _ fullServer = (*Server)(nil)

// Server forwards every RPC to the framework's server with a context of its own (see the
// package documentation).
type Server struct {
	inner fullServer
}

// Wrap wraps a server returned by providerserver.NewProtocol6. It panics if ps does
// not implement all of tfprotov6's optional server interfaces as the framework's does,
// since tf6server would then answer some RPCs differently.
func Wrap(ps tfprotov6.ProviderServer) *Server {
	inner, ok := ps.(fullServer)
	if !ok {
		panic(fmt.Sprintf("tfserver.Wrap: %T does not implement every tfprotov6 server interface", ps))
	}
	return &Server{inner: inner}
}

// rpcContext is the context an RPC hands the framework: the RPC's own context until end,
// then an ended one.
type rpcContext struct {
	live atomic.Pointer[context.Context]
}

// ended is what an rpcContext forwards to once its RPC has returned: canceled, no values.
var ended = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func newRPCContext(ctx context.Context) *rpcContext {
	c := &rpcContext{}
	c.live.Store(&ctx)
	return c
}

func (c *rpcContext) ctx() context.Context {
	if p := c.live.Load(); p != nil {
		return *p
	}
	return ended
}

// end cuts the context loose from the RPC's: from now on it is canceled and has no values.
func (c *rpcContext) end() { c.live.Store(nil) }

func (c *rpcContext) Deadline() (time.Time, bool) { return c.ctx().Deadline() }
func (c *rpcContext) Done() <-chan struct{}       { return c.ctx().Done() }
func (c *rpcContext) Err() error                  { return c.ctx().Err() }
func (c *rpcContext) Value(key any) any           { return c.ctx().Value(key) }
func (c *rpcContext) String() string              { return "tfserver.rpcContext" }

func call[Req, Resp any](f func(context.Context, Req) (Resp, error), ctx context.Context, req Req) (Resp, error) {
	c := newRPCContext(ctx)
	defer c.end()
	return f(c, req)
}

// stream is call for an RPC whose response is read after it returns: its context ends once
// the results have been read (results returns the response's iterator, nil when there is
// none).
func stream[Req, Resp any, T any](f func(context.Context, Req) (*Resp, error), ctx context.Context, req Req, results func(*Resp) *iter.Seq[T]) (*Resp, error) {
	c := newRPCContext(ctx)
	resp, err := f(c, req)
	if err != nil || resp == nil || *results(resp) == nil {
		c.end()
		return resp, err
	}
	out := *resp
	seq := *results(&out)
	*results(&out) = func(yield func(T) bool) {
		defer c.end()
		seq(yield)
	}
	return &out, nil
}

// StopProvider is Terraform's: it cancels every RPC in flight.
func (s *Server) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return call(s.inner.StopProvider, ctx, req)
}

func (s *Server) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return call(s.inner.GetMetadata, ctx, req)
}

func (s *Server) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return call(s.inner.GetProviderSchema, ctx, req)
}

func (s *Server) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return call(s.inner.GetResourceIdentitySchemas, ctx, req)
}

func (s *Server) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return call(s.inner.ValidateProviderConfig, ctx, req)
}

func (s *Server) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return call(s.inner.ConfigureProvider, ctx, req)
}

func (s *Server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(s.inner.ValidateResourceConfig, ctx, req)
}

func (s *Server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(s.inner.UpgradeResourceState, ctx, req)
}

func (s *Server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(s.inner.ReadResource, ctx, req)
}

func (s *Server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(s.inner.PlanResourceChange, ctx, req)
}

func (s *Server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(s.inner.ApplyResourceChange, ctx, req)
}

func (s *Server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(s.inner.ImportResourceState, ctx, req)
}

func (s *Server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return call(s.inner.MoveResourceState, ctx, req)
}

func (s *Server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(s.inner.UpgradeResourceIdentity, ctx, req)
}

func (s *Server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return call(s.inner.GenerateResourceConfig, ctx, req)
}

func (s *Server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(s.inner.ValidateDataResourceConfig, ctx, req)
}

func (s *Server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(s.inner.ReadDataSource, ctx, req)
}

func (s *Server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return call(s.inner.CallFunction, ctx, req)
}

func (s *Server) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return call(s.inner.GetFunctions, ctx, req)
}

func (s *Server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return call(s.inner.ValidateEphemeralResourceConfig, ctx, req)
}

func (s *Server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return call(s.inner.OpenEphemeralResource, ctx, req)
}

func (s *Server) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return call(s.inner.RenewEphemeralResource, ctx, req)
}

func (s *Server) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return call(s.inner.CloseEphemeralResource, ctx, req)
}

func (s *Server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return call(s.inner.ValidateListResourceConfig, ctx, req)
}

func (s *Server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return stream(s.inner.ListResource, ctx, req, func(r *tfprotov6.ListResourceServerStream) *iter.Seq[tfprotov6.ListResourceResult] { return &r.Results })
}

func (s *Server) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return call(s.inner.ValidateActionConfig, ctx, req)
}

func (s *Server) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return call(s.inner.PlanAction, ctx, req)
}

func (s *Server) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return stream(s.inner.InvokeAction, ctx, req, func(r *tfprotov6.InvokeActionServerStream) *iter.Seq[tfprotov6.InvokeActionEvent] { return &r.Events })
}

func (s *Server) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return call(s.inner.ValidateStateStoreConfig, ctx, req)
}

func (s *Server) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return call(s.inner.ConfigureStateStore, ctx, req)
}

func (s *Server) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	return stream(s.inner.ReadStateBytes, ctx, req, func(r *tfprotov6.ReadStateBytesStream) *iter.Seq[tfprotov6.ReadStateByteChunk] { return &r.Chunks })
}

func (s *Server) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	return call(s.inner.WriteStateBytes, ctx, req)
}

func (s *Server) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return call(s.inner.GetStates, ctx, req)
}

func (s *Server) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return call(s.inner.DeleteState, ctx, req)
}

func (s *Server) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return call(s.inner.LockState, ctx, req)
}

func (s *Server) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return call(s.inner.UnlockState, ctx, req)
}
