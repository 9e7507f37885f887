package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The framework's server (proto6server.Server.registerContext, v1.19)
// keeps a cancel function for the context of every RPC it serves, so that
// StopProvider can cancel them, and only lets go of them then: for the
// life of the process. Each holds its request's context and through it
// everything the SDK hung on it (loggers with their fields, one set per
// RPC), about 20 kB a call: a plan of 1000 resources grew the live heap
// by 80 MB, and the garbage collector's work with it. detachedServer
// hands the framework, for the RPCs made once per resource, a context
// that lets go of the request's values when the call returns: what stays
// behind is a few hundred bytes.

// frameworkServer is what the framework's server implements, optional
// RPC sets included, so the wrapper hides none of them from tf6server
// (v0.31 still finds them by these deprecated interfaces).
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // see above
}

// detachServer wraps the framework's server; a server lacking one of the
// optional RPC sets is served as it is.
func detachServer(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	if fs, ok := s.(frameworkServer); ok {
		return detachedServer{frameworkServer: fs, schemas: &stateSchemas{}}
	}
	return s
}

type detachedServer struct {
	frameworkServer
	schemas *stateSchemas // for UpgradeResourceState, see upgrade.go
}

func (s detachedServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serveDetached(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s detachedServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serveDetached(ctx, req, func(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
		if resp, ok := s.passthrough(ctx, req); ok {
			return resp, nil
		}
		return s.frameworkServer.UpgradeResourceState(ctx, req)
	})
}

func (s detachedServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serveDetached(ctx, req, s.frameworkServer.ReadResource)
}

func (s detachedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serveDetached(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s detachedServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serveDetached(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s detachedServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serveDetached(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s detachedServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serveDetached(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s detachedServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serveDetached(ctx, req, s.frameworkServer.ReadDataSource)
}

// serveDetached serves one RPC with a context that lets go of the request's
// values when the call returns.
func serveDetached[Req, Resp any](ctx context.Context, req Req, serve func(context.Context, Req) (Resp, error)) (Resp, error) {
	ctx, release := detach(ctx)
	defer release()
	return serve(ctx, req)
}

// detached is a request's context until release, then an empty, cancelled
// one: Value, Deadline and cancellation are the request's while the call
// runs, and whatever holds on to it afterwards holds nothing of the
// request's.
type detached struct {
	req      atomic.Pointer[context.Context] // nil once released
	done     chan struct{}
	closing  sync.Once
	deadline time.Time
	hasDL    bool
}

func detach(ctx context.Context) (context.Context, func()) {
	d := &detached{done: make(chan struct{})}
	d.req.Store(&ctx)
	d.deadline, d.hasDL = ctx.Deadline()
	stop := context.AfterFunc(ctx, d.close)
	return d, func() {
		stop()
		d.close()
		d.req.Store(nil)
	}
}

func (d *detached) close() { d.closing.Do(func() { close(d.done) }) }

func (d *detached) Deadline() (time.Time, bool) { return d.deadline, d.hasDL }

func (d *detached) Done() <-chan struct{} { return d.done }

// Err is nil until Done is closed, as the context contract wants, then the
// request's own error (Canceled or DeadlineExceeded), or Canceled once
// released.
func (d *detached) Err() error {
	select {
	case <-d.done:
	default:
		return nil
	}
	if p := d.req.Load(); p != nil {
		if err := (*p).Err(); err != nil {
			return err
		}
	}
	return context.Canceled
}

func (d *detached) Value(key any) any {
	if p := d.req.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
