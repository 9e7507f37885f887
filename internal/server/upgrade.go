package server

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Terraform sends UpgradeResourceState for every resource in the state
// before it reads or plans it, in every plan, apply and destroy, even when
// the state was written at the schema's current version. The framework
// then passes the state through (fwserver.UpgradeResourceState: "using
// framework defined passthrough implementation"): it decodes the stored
// JSON with the schema's type, ignoring attributes the schema no longer
// has, and encodes it back, with a walk of the whole value on each side
// for collection blocks, which these schemas do not have. That was 7% of a
// plan's CPU time and a sixth of a destroy's apply. passthrough does the
// same decode and encode without the walks, for resource types whose
// schema has no blocks; anything else (another version, a state it cannot
// decode, a flatmap state) goes to the framework, which upgrades or says
// what is wrong.

// stateSchema is what a passthrough needs of a resource type's schema.
type stateSchema struct {
	version int64
	typ     tftypes.Type
}

// stateSchemas are the resource types' schemas, from the framework's own
// GetProviderSchema, asked once.
type stateSchemas struct {
	once   sync.Once
	byType map[string]stateSchema
}

func (s *stateSchemas) get(ctx context.Context, fw tfprotov6.ProviderServer) map[string]stateSchema {
	s.once.Do(func() {
		s.byType = map[string]stateSchema{}
		resp, err := fw.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || resp == nil {
			return
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				return
			}
		}
		for name, sc := range resp.ResourceSchemas {
			if sc == nil || sc.Block == nil || len(sc.Block.BlockTypes) > 0 {
				continue
			}
			s.byType[name] = stateSchema{version: sc.Version, typ: sc.ValueType()}
		}
	})
	return s.byType
}

// passthrough answers an UpgradeResourceState as the framework would for a
// state stored at the current version; ok is false when it cannot.
func (s detachedServer) passthrough(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (resp *tfprotov6.UpgradeResourceStateResponse, ok bool) {
	if req == nil || req.RawState == nil || req.RawState.JSON == nil {
		return nil, false
	}
	sc, known := s.schemas.get(ctx, s.frameworkServer)[req.TypeName]
	if !known || req.Version != sc.version {
		return nil, false
	}
	v, err := req.RawState.UnmarshalWithOpts(sc.typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return nil, false
	}
	dv, err := tfprotov6.NewDynamicValue(sc.typ, v)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, true
}
