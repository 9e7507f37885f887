package main

import (
	"flag"
	"os"
	"time"
)

// parentFlag registers -stop-with-parent. The returned function gives a
// channel that is closed once the process that started localkong has
// exited (nil when the flag is off). make localkong needs it: make does
// not pass a SIGTERM it receives on to the command it runs, so killing
// make would otherwise leave localkong holding its ports.
func parentFlag() func() <-chan struct{} {
	on := flag.Bool("stop-with-parent", false, "exit when the process that started localkong exits (make localkong sets it)")
	return func() <-chan struct{} {
		if !*on {
			return nil
		}
		gone := make(chan struct{})
		parent := os.Getppid()
		go func() {
			// Orphans are adopted by init or a subreaper: the parent
			// process id changes. Polling works on every Unix.
			for range time.Tick(100 * time.Millisecond) {
				if os.Getppid() != parent {
					close(gone)
					return
				}
			}
		}()
		return gone
	}
}
