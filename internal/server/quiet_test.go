package server

import "testing"

// TestQuietUnlessAsked: the loggers are turned off only when no TF_LOG*
// variable (nor TF_ACC_LOG_PATH) is set to something.
func TestQuietUnlessAsked(t *testing.T) {
	for _, tc := range []struct {
		env   []string
		quiet bool
	}{
		{nil, true},
		{[]string{"HOME=/root", "TF_CLI_CONFIG_FILE=x", "TF_LOG="}, true},
		{[]string{"TF_LOG=TRACE"}, false},
		{[]string{"TF_LOG=json"}, false},
		{[]string{"TF_LOG_PROVIDER=DEBUG"}, false},
		{[]string{"TF_LOG_PROVIDER_SERVICEHUB=TRACE"}, false},
		{[]string{"TF_LOG_SDK=TRACE"}, false},
		{[]string{"TF_LOG_SDK_FRAMEWORK=TRACE"}, false},
		{[]string{"TF_LOG_SDK_PROTO=TRACE"}, false},
		{[]string{"TF_LOG_PATH=/tmp/tf.log"}, false},
		{[]string{"TF_LOG_CORE=TRACE"}, false},
		{[]string{"TF_ACC_LOG_PATH=/tmp/acc.log"}, false},
	} {
		set := map[string]string{}
		quietUnlessAsked(tc.env, func(k, v string) error { set[k] = v; return nil })
		if !tc.quiet {
			if len(set) != 0 {
				t.Errorf("%v: set %v, want nothing", tc.env, set)
			}
			continue
		}
		for _, k := range quietLevels {
			if set[k] != "OFF" {
				t.Errorf("%v: %s = %q, want OFF", tc.env, k, set[k])
			}
		}
		if len(set) != len(quietLevels) {
			t.Errorf("%v: set %v", tc.env, set)
		}
	}
}
