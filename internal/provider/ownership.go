package provider

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// An implementation belongs to the state whose create made it (see
// servicehub/owner.go and design/reliability.md). What tells it apart from
// another create's entity at the same id, the create's token and Kong's
// created_at, is kept in the resource's private state under markKey:
// Terraform stores it with the state and hands it back on every call, and
// nothing shows it in plans. Reading it costs no request.
const markKey = "mark"

// privateGetter is the private state of a read, update or delete.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// readMark is the mark recorded in private state; not Known for a state
// written before marks, and for a fresh import, until the next read.
func readMark(ctx context.Context, p privateGetter, diags *diag.Diagnostics) servicehub.Mark {
	var m servicehub.Mark
	b, d := p.GetKey(ctx, markKey)
	diags.Append(d...)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			// Unreadable: as if none were recorded, so the next read takes
			// the mark again, as for a state from before marks.
			return servicehub.Mark{}
		}
	}
	return m
}

// privateSetter is the private state of a create, read or update.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// writeMark records m in private state.
func writeMark(ctx context.Context, p privateSetter, m servicehub.Mark, diags *diag.Diagnostics) {
	b, err := json.Marshal(m)
	if err != nil {
		diags.AddError("Unable to record the implementation's mark", err.Error())
		return
	}
	diags.Append(p.SetKey(ctx, markKey, b)...)
}

// markOfUnsettled is the mark of a create recorded tainted: its token, as
// its outcome (and so its created_at) was never learnt.
func markOfUnsettled(err error) (servicehub.Mark, bool) {
	var ue *servicehub.UnsettledError
	if errors.As(err, &ue) && ue.Token != "" {
		return servicehub.Mark{Token: ue.Token}, true
	}
	return servicehub.Mark{}, false
}
