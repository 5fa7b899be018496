package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/protobuf/types/known/structpb"

	v1 "compensa.dev/interop/go-host/gen/compensa/v1"
)

// runBench measures what the Compensa benchmark suite compares with its Java host: launch to ready
// (handshake, connection, health check and Describe answered: what the Compensa launcher does
// before it hands a plugin over), launch to the first Driver reply (one Read after that), the
// sequential Read round trip, the Read rate of -concurrency callers, and the plugin's resident set
// size after that load. One JSON line.
func runBench(o options, client *plugin.Client, c *clients, started time.Time, config *structpb.Struct) error {
	ctx := context.Background()
	call := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, o.timeout) }
	if _, err := c.plugin.Describe(ctx, &v1.DescribeRequest{HostContractVersion: "v1"}); err != nil {
		return fmt.Errorf("Describe failed: %s", describe(err))
	}
	readyMillis := float64(time.Since(started).Microseconds()) / 1000
	request := &v1.ReadRequest{
		ActionId:   "bench",
		Resource:   &v1.ResourceSpec{Name: o.name, Type: o.typ, Config: config},
		ProviderId: o.providerID,
	}
	read := func() error {
		cctx, cancel := call()
		defer cancel()
		_, err := c.driver.Read(cctx, request)
		return err
	}
	if err := read(); err != nil {
		return fmt.Errorf("Read of %s %q failed: %s", o.typ, o.name, describe(err))
	}
	launchMillis := float64(time.Since(started).Microseconds()) / 1000

	warmup := o.bench / 2
	for i := 0; i < warmup; i++ {
		if err := read(); err != nil {
			return fmt.Errorf("Read failed: %s", describe(err))
		}
	}
	micros := make([]float64, o.bench)
	for i := range micros {
		start := time.Now()
		if err := read(); err != nil {
			return fmt.Errorf("Read failed: %s", describe(err))
		}
		micros[i] = float64(time.Since(start).Nanoseconds()) / 1000
	}
	sort.Float64s(micros)

	var calls atomic.Int64
	var failure atomic.Value
	deadline := time.Now().Add(o.benchTime)
	var wg sync.WaitGroup
	begin := time.Now()
	for w := 0; w < o.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := read(); err != nil {
					failure.Store(err)
					return
				}
				calls.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin).Seconds()
	if err, ok := failure.Load().(error); ok {
		return fmt.Errorf("concurrent Read failed: %s", describe(err))
	}
	pid := 0
	if reattach := client.ReattachConfig(); reattach != nil {
		pid = reattach.Pid
	}
	emit("bench", map[string]any{
		"network":           networkOf(client),
		"ready_ms":          readyMillis,
		"launch_ms":         launchMillis,
		"round_trip_us_p50": percentile(micros, 50),
		"round_trip_us_p99": percentile(micros, 99),
		"concurrency":       o.concurrency,
		"calls_per_s":       float64(calls.Load()) / elapsed,
		"plugin_pid":        pid,
		"plugin_rss_kib":    rssKiB(pid),
	})
	return nil
}

func percentile(sorted []float64, p int) float64 {
	index := (p*len(sorted)+99)/100 - 1
	if index < 0 {
		index = 0
	}
	if index >= len(sorted) {
		index = len(sorted) - 1
	}
	return sorted[index]
}

// rssKiB reads VmRSS from /proc/<pid>/status; 0 when it cannot.
func rssKiB(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			fields := strings.Fields(line)
			if len(fields) >= 2 {
				kib, _ := strconv.ParseInt(fields[1], 10, 64)
				return kib
			}
		}
	}
	return 0
}
