// Command compensa-go-kv is a Compensa sample plugin written in Go with HashiCorp go-plugin.
//
// It drives two resource types backed by files under the root directory named in
// COMPENSA_PLUGIN_CONFIG ({"root": "/abs/dir"}):
//
//   - gokv_entry: a key and a string value, stored as the file <root>/<key>. The host undoes
//     its actions with inverse calls (HOST_INVERSE for create, update and delete).
//   - gokv_counter: a name and a number, stored as <root>/.counters/<name>.json. The plugin
//     undoes its actions itself through CompensableService.Compensate (PLUGIN compensation).
//
// go-plugin does the launch protocol: the cookie check, the handshake line, health ("plugin"),
// plugin.GRPCController, plugin.GRPCStdio, plugin.GRPCBroker and server reflection.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// Handshake is Compensa's default handshake: a Compensa host sets this cookie.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "COMPENSA_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "d3c1f0a7e5b94c2e8a6b1f0e9d7c3a52",
}

const (
	pluginName    = "go-kv"
	pluginVersion = "0.1.0"
	configEnv     = "COMPENSA_PLUGIN_CONFIG"
)

type pluginConfig struct {
	Root string `json:"root"`
}

func main() {
	// go-plugin replaces os.Stderr with a pipe that only GRPCStdio drains; log to the real one so
	// the host's stderr reader sees our hclog JSON lines even when it never opens that stream.
	stderr := os.Stderr
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       pluginName,
		Level:      hclog.LevelFromString(envOr("COMPENSA_LOG_LEVEL", "info")),
		Output:     stderr,
		JSONFormat: true,
	})

	debug := debugMode()
	// go-plugin checks the cookie too, but only in Serve: check it first so that a person running
	// the binary by hand gets this sentence instead of a complaint about the configuration.
	if !debug && os.Getenv(Handshake.MagicCookieKey) != Handshake.MagicCookieValue {
		fmt.Fprintln(stderr, "This binary is a Compensa plugin (go-kv); it is not meant to be run directly: start it from a Compensa host or a go-plugin host with the Compensa handshake.")
		os.Exit(1)
	}

	// without a configuration the plugin still answers Describe; its driver calls say what is missing
	root, err := rootFromEnv()
	if err == errNotConfigured {
		logger.Warn("no configuration: answering Describe only", "variable", configEnv)
	} else if err != nil {
		fmt.Fprintf(stderr, "compensa-go-kv: %v\n", err)
		os.Exit(1)
	}

	store := &kvStore{root: root, log: logger}
	config := &plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         plugin.PluginSet{"compensa": &compensaPlugin{store: store}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	}
	if debug {
		serveDebug(config, logger)
		return
	}
	startOrphanGuard(logger, stderr)
	logger.Info("serving", "root", root, "pid", os.Getpid())
	plugin.Serve(config)
	logger.Info("stopped")
}

// debugMode says whether COMPENSA_PLUGIN_DEBUG asks for debug mode (docs/protocol.md, section 5a).
func debugMode() bool {
	value := os.Getenv("COMPENSA_PLUGIN_DEBUG")
	return value == "1" || strings.EqualFold(value, "true")
}

// serveDebug serves as go-plugin's test mode does for Terraform's reattach: no cookie, no AutoMTLS,
// no orphan guard, a Unix socket of its own; prints the line to paste where compensa runs, and
// stops on Ctrl-C.
func serveDebug(config *plugin.ServeConfig, logger hclog.Logger) {
	os.Unsetenv("PLUGIN_CLIENT_CERT")
	os.Unsetenv("COMPENSA_HOST_PID")
	if os.Getenv("PLUGIN_PROTOCOL_VERSIONS") == "" {
		os.Setenv("PLUGIN_PROTOCOL_VERSIONS", "1")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	reattach := make(chan *plugin.ReattachConfig, 1)
	go func() {
		cfg := <-reattach
		fmt.Printf("export COMPENSA_REATTACH_PLUGINS='{\"%s\":\"1|%d|%s|%s|%s\"}'\n",
			pluginName, cfg.ProtocolVersion, cfg.Addr.Network(), cfg.Addr.String(), cfg.Protocol)
		logger.Info("debug mode: paste the line above into the shell that runs compensa; Ctrl-C stops the plugin",
			"pid", os.Getpid())
	}()
	config.Test = &plugin.ServeTestConfig{Context: ctx, ReattachConfigCh: reattach}
	plugin.Serve(config)
	logger.Info("stopped")
}

// errNotConfigured: COMPENSA_PLUGIN_CONFIG is not set.
var errNotConfigured = fmt.Errorf(`%s is not set: the host must pass {"root": "/absolute/dir"}`, configEnv)

func rootFromEnv() (string, error) {
	raw := os.Getenv(configEnv)
	if strings.TrimSpace(raw) == "" {
		return "", errNotConfigured
	}
	var cfg pluginConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		return "", fmt.Errorf(`%s is not a JSON object like {"root": "/absolute/dir"}: %v`, configEnv, err)
	}
	if cfg.Root == "" || !filepath.IsAbs(cfg.Root) {
		return "", fmt.Errorf(`%s needs "root" set to an absolute directory, got %q`, configEnv, cfg.Root)
	}
	root := filepath.Clean(cfg.Root)
	for _, dir := range []string{root, filepath.Join(root, countersDir), filepath.Join(root, ledgerDir)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("cannot create the root directory: %v", err)
		}
	}
	return root, nil
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
