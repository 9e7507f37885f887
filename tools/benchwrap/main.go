// Command benchwrap stands in for the provider binary in `make bench`:
// Terraform starts it as the provider, it runs the real one
// ($BENCH_PROVIDER) with the same arguments, standard streams and
// environment, and when that exits appends one line to $BENCH_CPU_LOG:
//
//	<user CPU s> <system CPU s> <peak RSS KiB> <wall s>
//
// taken from the kernel's accounting of the child (wait4's rusage), so the
// numbers are the provider's alone, not this wrapper's nor Terraform's.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	bin, logPath := os.Getenv("BENCH_PROVIDER"), os.Getenv("BENCH_CPU_LOG")
	if bin == "" || logPath == "" {
		fmt.Fprintln(os.Stderr, "benchwrap: BENCH_PROVIDER and BENCH_CPU_LOG must be set")
		os.Exit(2)
	}
	cmd := exec.Command(bin, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Terraform signals the whole process group on Ctrl-C, so the provider
	// gets it too; the wrapper must outlive the provider to account for it.
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "benchwrap:", err)
		os.Exit(1)
	}
	err := cmd.Wait()
	wall := time.Since(start)
	code := 0
	if err != nil {
		code = 1
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) && ee.ExitCode() >= 0 {
			code = ee.ExitCode()
		}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		line := fmt.Sprintf("%.3f %.3f %d %.3f\n",
			time.Duration(ru.Utime.Nano()).Seconds(), time.Duration(ru.Stime.Nano()).Seconds(), ru.Maxrss, wall.Seconds())
		if f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			_, _ = f.WriteString(line) // one write: O_APPEND keeps concurrent lines whole
			_ = f.Close()
		}
	}
	os.Exit(code)
}
