package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
)

// startOrphanGuard exits the plugin when its host is gone. go-plugin has no such guard: a host
// killed with SIGKILL would leave the plugin serving forever. The host is the process named by
// COMPENSA_HOST_PID when set (a Compensa host sets it), and in any case the parent we started
// with: when we are re-parented (to init or a subreaper), the host has died.
func startOrphanGuard(logger hclog.Logger, stderr io.Writer) {
	parent := os.Getppid()
	hostPid := 0
	if raw := os.Getenv("COMPENSA_HOST_PID"); raw != "" {
		pid, err := strconv.Atoi(raw)
		if err != nil || pid <= 0 {
			fmt.Fprintf(stderr, "compensa-go-kv: COMPENSA_HOST_PID is %q, not a process id; watching the parent process only\n", raw)
		} else {
			hostPid = pid
		}
	}
	go func() {
		ticker := time.NewTicker(500 * time.Millisecond)
		defer ticker.Stop()
		for range ticker.C {
			reason := ""
			if os.Getppid() != parent {
				reason = fmt.Sprintf("parent process %d is gone", parent)
			} else if hostPid != 0 && !alive(hostPid) {
				reason = fmt.Sprintf("host process %d (COMPENSA_HOST_PID) is gone", hostPid)
			}
			if reason != "" {
				logger.Warn("host is gone, exiting", "reason", reason)
				os.Exit(2)
			}
		}
	}()
}

// alive tells whether pid names a running process (a zombie counts as gone).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !os.IsNotExist(err)
	}
	// the state follows the command name, which is in parentheses and may hold spaces
	text := string(stat)
	if i := strings.LastIndexByte(text, ')'); i >= 0 && i+2 < len(text) {
		return text[i+2] != 'Z'
	}
	return true
}
