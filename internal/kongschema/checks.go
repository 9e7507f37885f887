package kongschema

import (
	"fmt"
	"strings"
)

// Check is one of Kong's entity checkers bound to its argument.
type Check struct {
	// Kind and Arg describe the check in schema documents.
	Kind string
	Arg  map[string]any

	fields   []string        // fields handed to the checker, in order
	required map[string]bool // fields whose absence skips the check
	// checkerMissing is the checker's run_with_missing_fields;
	// argMissing the per-use override. Kong treats them differently.
	checkerMissing bool
	argMissing     bool
	runInvalid     bool
	fn             checkFn
}

// checkFn returns "" when the check passes, otherwise the @entity message.
type checkFn func(c *vctx, lookup func(string) *Field, in, errs map[string]any) string

// runCheck is Kong's run_entity_check: it decides whether the checker runs
// given missing and invalid fields, then records its message.
func (c *vctx) runCheck(ch *Check, lookup func(string) *Field, input map[string]any, full bool, errs map[string]any) {
	in := map[string]any{}
	var missing []string
	allNil, allOK := true, true
	for _, name := range ch.fields {
		v, present := getPath(input, name)
		if !present {
			if !ch.checkerMissing && !ch.argMissing && ch.required[name] {
				missing = append(missing, name)
			}
		} else {
			allNil = false
			in[name] = v
		}
		// Kong looks the error up by the check's name as is, so an error
		// inside a record ("config.x") never holds a check back.
		if errs[name] != nil {
			allOK = false
		}
	}
	if !allOK && !ch.runInvalid {
		return
	}
	if allNil && !(ch.checkerMissing && full) {
		return
	}
	if missing != nil {
		msg := msgRequiredCheck
		if c.updating {
			msg += updatingSuffix
		}
		for _, m := range missing {
			setPath(errs, m, msg)
		}
		return
	}
	if msg := ch.fn(c, lookup, in, errs); msg != "" {
		addEntityError(errs, msg)
	}
}

// conditional: when ifField passes ifMatch, thenField must pass thenMatch.
func conditional(ifField string, ifMatch *Field, thenField string, thenMatch *Field, thenErr string) Check {
	arg := map[string]any{
		"if_field": ifField, "if_match": matchJSON(ifMatch),
		"then_field": thenField, "then_match": matchJSON(thenMatch),
	}
	if thenErr != "" {
		arg["then_err"] = thenErr
	}
	return Check{
		Kind:       "conditional",
		Arg:        arg,
		fields:     []string{ifField, thenField},
		required:   map[string]bool{ifField: true},
		runInvalid: true,
		fn: func(c *vctx, lookup func(string) *Field, in, errs map[string]any) string {
			if c.validateField(lookup(ifField).with(ifMatch), in[ifField]) != nil {
				return ""
			}
			thenValue := in[thenField]
			var err any
			msg := or(thenErr, fmt.Sprintf(msgConditional, ifField))
			if thenMatch.Required && thenValue == nil {
				// Kong reports a missing required value without the then_err.
				err, msg = msgRequired, fmt.Sprintf(msgConditional, ifField)
			} else if err = c.validateField(lookup(thenField).with(thenMatch), thenValue); err == nil {
				return ""
			}
			setPath(errs, thenField, err)
			if c.hints != nil && c.depth == 1 {
				// Kong's own then_err says it best where the check has one.
				c.hints[thenField] = or(thenErr, conditionalHint(ifField, ifMatch, in[ifField], thenField, thenMatch, err))
			}
			return msg
		},
	}
}

// conditionalAtLeastOneOf: when ifField passes ifMatch, one of thenFields
// must be non-empty; otherwise, when it passes elseMatch, one of elseFields.
// The error texts get the quoted field list.
//
//nolint:unparam // Kong's entity check of that name; only routes use it so far
func conditionalAtLeastOneOf(ifField string, ifMatch *Field, thenFields []string, thenErr string,
	elseMatch *Field, elseFields []string, elseErr string) Check {
	fields := append([]string{ifField}, thenFields...)
	fields = append(fields, elseFields...)
	arg := map[string]any{
		"if_field": ifField, "if_match": matchJSON(ifMatch),
		"then_at_least_one_of": anys(thenFields...), "then_err": thenErr,
	}
	if elseMatch != nil {
		arg["else_match"] = matchJSON(elseMatch)
		arg["else_then_at_least_one_of"] = anys(elseFields...)
		arg["else_then_err"] = elseErr
	}
	return Check{
		Kind:           "conditional_at_least_one_of",
		Arg:            arg,
		fields:         fields,
		checkerMissing: true,
		runInvalid:     true,
		fn: func(c *vctx, lookup func(string) *Field, in, errs map[string]any) string {
			ifValue, present := in[ifField]
			if !present {
				return ""
			}
			names, custom := thenFields, thenErr
			if c.validateField(lookup(ifField).with(ifMatch), ifValue) != nil {
				if elseMatch == nil || c.validateField(lookup(ifField).with(elseMatch), ifValue) != nil {
					return ""
				}
				names, custom = elseFields, elseErr
			}
			for _, n := range names {
				if isNonEmpty(in[n]) {
					return ""
				}
			}
			list := quotedList(names)
			if custom != "" {
				// Lua's format ignores an argument the text has no slot for.
				if strings.Contains(custom, "%s") {
					return fmt.Sprintf(custom, list)
				}
				return custom
			}
			return c.atLeastOneOfMsg(list)
		},
	}
}

func (c *vctx) atLeastOneOfMsg(list string) string {
	msg := fmt.Sprintf(msgAtLeastOneOf, list)
	if c.updating {
		msg = updatingPrefix + msg
	}
	return msg
}

// atLeastOneOf: one of the fields must be non-empty.
func atLeastOneOf(names ...string) Check {
	return Check{
		Kind:           "at_least_one_of",
		Arg:            map[string]any{"at_least_one_of": anys(names...)},
		fields:         names,
		required:       setOf(names),
		checkerMissing: true,
		runInvalid:     true,
		fn: func(c *vctx, _ func(string) *Field, in, _ map[string]any) string {
			for _, n := range names {
				if isNonEmpty(in[n]) {
					return ""
				}
			}
			return c.atLeastOneOfMsg(quotedList(names))
		},
	}
}

// mutuallyRequired: all or none of the fields are set.
func mutuallyRequired(names ...string) Check {
	return Check{
		Kind:           "mutually_required",
		Arg:            map[string]any{"mutually_required": anys(names...)},
		fields:         names,
		required:       setOf(names),
		checkerMissing: true,
		fn: func(_ *vctx, _ func(string) *Field, in, _ map[string]any) string {
			n := countNonEmpty(in, names)
			if n == 0 || n == len(names) {
				return ""
			}
			return fmt.Sprintf(msgMutuallyReq, quotedList(names))
		},
	}
}

// distinct: the non-empty values of the fields differ.
func distinct(names ...string) Check {
	return Check{
		Kind:       "distinct",
		Arg:        map[string]any{"distinct": anys(names...)},
		fields:     names,
		required:   setOf(names),
		runInvalid: true,
		fn: func(_ *vctx, _ func(string) *Field, in, _ map[string]any) string {
			seen := map[any]bool{}
			for _, n := range names {
				v := in[n]
				if !isNonEmpty(v) || isTable(v) {
					continue
				}
				if seen[v] {
					return fmt.Sprintf(msgDistinct, quotedList(names))
				}
				seen[v] = true
			}
			return ""
		},
	}
}

// customCheck runs fn over the listed fields once they are all present and
// valid; fn returns the error text or "".
func customCheck(sources []string, runMissing bool, fn func(in map[string]any) string) Check {
	arg := map[string]any{"field_sources": anys(sources...)}
	if runMissing {
		arg["run_with_missing_fields"] = true
	}
	return Check{
		Kind:       "custom_entity_check",
		Arg:        arg,
		fields:     sources,
		required:   setOf(sources),
		argMissing: runMissing,
		fn: func(_ *vctx, _ func(string) *Field, in, _ map[string]any) string {
			return fn(in)
		},
	}
}

func setOf(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// countNonEmpty is how many of the fields are non-empty in in, as the
// field-group checkers count them (only_one_of, mutually_exclusive,
// mutually_required).
func countNonEmpty(in map[string]any, names []string) int {
	n := 0
	for _, name := range names {
		if isNonEmpty(in[name]) {
			n++
		}
	}
	return n
}
