package correlationid

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// handler is kong/plugins/correlation-id/handler.lua: a request without
// header_name gets one from the generator, sent upstream and, with
// echo_downstream, back to the client.
func handler(pdk.Gateway) *pdk.Handler {
	g := &generators{worker: uuid.NewString()}
	return &pdk.Handler{
		Access: func(c *pdk.Context, in *pdk.Instance) {
			name := pdk.ConfString(in.Config, "header_name")
			id := c.Request.Header.Get(name)
			if id == "" {
				id = g.generate(c, pdk.ConfString(in.Config, "generator"))
				c.Request.Header.Set(name, id)
			}
			if pdk.ConfBool(in.Config, "echo_downstream") {
				c.Local(in)["id"] = id
			}
		},
		HeaderFilter: func(c *pdk.Context, in *pdk.Instance) {
			if !pdk.ConfBool(in.Config, "echo_downstream") {
				return
			}
			name := pdk.ConfString(in.Config, "header_name")
			id, _ := c.Local(in)["id"].(string)
			if id == "" {
				id = c.Request.Header.Get(name)
			}
			if id == "" {
				id = g.generate(c, pdk.ConfString(in.Config, "generator"))
			}
			c.Response.Header.Set(name, id)
		},
	}
}

// generators hold what the generators keep: the worker's uuid and
// counter (uuid#counter), and connection numbers for tracker.
type generators struct {
	worker      string
	counter     atomic.Int64
	connections atomic.Int64
}

func (g *generators) generate(c *pdk.Context, kind string) string {
	switch kind {
	case "uuid#counter":
		return g.worker + "#" + strconv.FormatInt(g.counter.Add(1), 10)
	case "tracker":
		// server_addr-server_port-pid-connection-connection_requests-now;
		// localkong numbers requests, not connections, so each is the
		// first request of its own connection.
		addr, port := "", ""
		if a, ok := c.Request.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			addr, port, _ = net.SplitHostPort(a.String())
		}
		now := float64(time.Now().UnixMilli()) / 1000
		return fmt.Sprintf("%s-%s-%d-%d-%d-%0.3f", addr, port, os.Getpid(), g.connections.Add(1), 1, now)
	}
	return uuid.NewString()
}
