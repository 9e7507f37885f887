package kongschema

import "fmt"

// Entity checkers that plugin schemas use besides those of services and
// routes (kong/db/schema/init.lua, Schema.entity_checkers).

const (
	msgOnlyOneOf         = "exactly one of these fields must be non-empty: %s"
	msgMutuallyExclusive = "only one or none of these fields must be set: %s"
)

// onlyOneOf: exactly one of the fields is non-empty.
func onlyOneOf(names ...string) Check {
	return Check{
		Kind:       "only_one_of",
		Arg:        map[string]any{"only_one_of": anys(names...)},
		fields:     names,
		required:   setOf(names),
		runInvalid: true,
		fn: func(_ *vctx, _ func(string) *Field, in, _ map[string]any) string {
			n := countNonEmpty(in, names)
			if n == 1 {
				return ""
			}
			return fmt.Sprintf(msgOnlyOneOf, quotedList(names))
		},
	}
}

// mutuallyExclusive: at most one of the fields is non-empty.
func mutuallyExclusive(names ...string) Check {
	return Check{
		Kind:           "mutually_exclusive",
		Arg:            map[string]any{"mutually_exclusive": anys(names...)},
		fields:         names,
		required:       setOf(names),
		checkerMissing: true,
		fn: func(_ *vctx, _ func(string) *Field, in, _ map[string]any) string {
			n := countNonEmpty(in, names)
			if n <= 1 {
				return ""
			}
			return fmt.Sprintf(msgMutuallyExclusive, quotedList(names))
		},
	}
}

// mutuallyExclusiveSets: fields of set1 and fields of set2 are not both
// set; the message names the non-empty ones of each.
func mutuallyExclusiveSets(set1, set2 []string) Check {
	fields := append(append([]string{}, set1...), set2...)
	return Check{
		Kind:           "mutually_exclusive_sets",
		Arg:            map[string]any{"set1": anys(set1...), "set2": anys(set2...)},
		fields:         fields,
		required:       setOf(fields),
		checkerMissing: true,
		fn: func(_ *vctx, _ func(string) *Field, in, _ map[string]any) string {
			var a, b []string
			for _, n := range set1 {
				if isNonEmpty(in[n]) {
					a = append(a, n)
				}
			}
			for _, n := range set2 {
				if isNonEmpty(in[n]) {
					b = append(b, n)
				}
			}
			if len(a) == 0 || len(b) == 0 {
				return ""
			}
			return fmt.Sprintf(msgMutuallyExcl, fmt.Sprintf("(%s), (%s)", quotedList(a), quotedList(b)))
		},
	}
}

// opaqueCheck is a check a schema document names but cannot carry: a
// custom_entity_check, whose function Kong leaves out of the document. It
// keeps its place in the document and never fails; Kong runs it on write.
func opaqueCheck(kind string, arg map[string]any) Check {
	return Check{
		Kind: kind,
		Arg:  arg,
		fn:   func(*vctx, func(string) *Field, map[string]any, map[string]any) string { return "" },
	}
}
