// Command go-host is a minimal go-plugin host for Compensa plugins. It launches a plugin
// executable with HashiCorp go-plugin's client (gRPC only), then calls Describe, one Create and
// one Read, prints each result as a JSON line on stdout, and stops the plugin with Kill.
//
// It exists to prove that a plugin built with the Compensa Java SDK (or in any language) satisfies
// an unchanged go-plugin client. It exits non-zero, with one line on stderr saying which step
// failed and why, on any failure.
//
//	go-host -plugin /path/to/compensa-localfs -plugin-config '{"root":"/tmp/x"}' \
//	  -type localfs_file -config '{"path":"a.txt","content":"hi","mode":"0644"}'
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	v1 "compensa.dev/interop/go-host/gen/compensa/v1"
)

// Handshake is Compensa's default handshake.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "COMPENSA_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "d3c1f0a7e5b94c2e8a6b1f0e9d7c3a52",
}

// clients is what the "compensa" plugin dispenses: the compensa.v1 stubs on go-plugin's connection.
type clients struct {
	plugin v1.PluginServiceClient
	driver v1.DriverServiceClient
}

type compensaPlugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (compensaPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errors.New("go-host only dispenses clients")
}

func (compensaPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return &clients{plugin: v1.NewPluginServiceClient(conn), driver: v1.NewDriverServiceClient(conn)}, nil
}

type options struct {
	pluginPath   string
	pluginConfig string
	typ          string
	config       string
	name         string
	actionID     string
	timeout      time.Duration
	logLevel     string
	unixSocket   bool
	autoMTLS     bool
	bench        int
	concurrency  int
	benchTime    time.Duration
	providerID   string
}

func main() {
	var o options
	flag.StringVar(&o.pluginPath, "plugin", "", "the plugin executable to launch (required)")
	flag.StringVar(&o.pluginConfig, "plugin-config", "", "JSON passed to the plugin in COMPENSA_PLUGIN_CONFIG")
	flag.StringVar(&o.typ, "type", "", "the resource type to create and read (required)")
	flag.StringVar(&o.config, "config", "{}", "the resource config, a JSON object")
	flag.StringVar(&o.name, "name", "interop", "the resource name")
	flag.StringVar(&o.actionID, "action-id", "", "the Create's action id (default: a fresh one)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "deadline for each call")
	flag.StringVar(&o.logLevel, "log-level", "info", "go-plugin's log level on stderr (trace, debug, info, warn, error)")
	flag.BoolVar(&o.unixSocket, "unix", false, "have the plugin listen on a Unix socket (in a fresh PLUGIN_UNIX_SOCKET_DIR) instead of TCP")
	flag.BoolVar(&o.autoMTLS, "mtls", false, "use go-plugin's AutoMTLS (ClientConfig.AutoMTLS): the host and plugin pin each other's certificate")
	flag.IntVar(&o.bench, "bench", 0, "bench mode: time the launch to the first Read reply, then N sequential Reads (p50/p99) and -concurrency callers for -bench-time; prints one JSON line (step \"bench\") and creates nothing")
	flag.IntVar(&o.concurrency, "concurrency", 8, "bench mode: concurrent callers")
	flag.DurationVar(&o.benchTime, "bench-time", time.Second, "bench mode: how long the concurrent callers run")
	flag.StringVar(&o.providerID, "provider-id", "bench-absent", "bench mode: the provider id the Reads ask for")
	flag.Parse()
	if o.pluginPath == "" || o.typ == "" {
		fmt.Fprintln(os.Stderr, "go-host: -plugin and -type are required (see -help)")
		os.Exit(2)
	}
	if o.actionID == "" {
		o.actionID = fmt.Sprintf("go-host-%d", time.Now().UnixNano())
	}
	if err := run(o); err != nil {
		fmt.Fprintf(os.Stderr, "go-host: %v\n", err)
		os.Exit(1)
	}
}

func run(o options) error {
	config := &structpb.Struct{}
	if err := protojson.Unmarshal([]byte(o.config), config); err != nil {
		return fmt.Errorf("-config is not a JSON object: %w", err)
	}
	if o.pluginConfig != "" && !json.Valid([]byte(o.pluginConfig)) {
		return fmt.Errorf("-plugin-config is not valid JSON: %s", o.pluginConfig)
	}

	cmd := exec.Command(o.pluginPath)
	cmd.Env = os.Environ()
	if o.pluginConfig != "" {
		cmd.Env = append(cmd.Env, "COMPENSA_PLUGIN_CONFIG="+o.pluginConfig)
	}
	if o.unixSocket {
		// go-plugin's client sets PLUGIN_UNIX_SOCKET_DIR only with a RunnerFunc; set it ourselves
		dir, err := os.MkdirTemp("", "go-host-")
		if err != nil {
			return fmt.Errorf("cannot create the socket directory: %w", err)
		}
		defer os.RemoveAll(dir)
		cmd.Env = append(cmd.Env, "PLUGIN_UNIX_SOCKET_DIR="+dir)
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          plugin.PluginSet{"compensa": compensaPlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         o.autoMTLS,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "go-host",
			Level:  hclog.LevelFromString(o.logLevel),
			Output: os.Stderr,
		}),
	})
	defer client.Kill()

	started := time.Now()
	rpc, err := client.Client()
	if err != nil {
		return fmt.Errorf("launching %s failed: %w", o.pluginPath, err)
	}
	if err := rpc.Ping(); err != nil {
		return fmt.Errorf("health check (grpc.health.v1 service \"plugin\") failed: %w", err)
	}
	raw, err := rpc.Dispense("compensa")
	if err != nil {
		return fmt.Errorf("dispensing the compensa clients failed: %w", err)
	}
	c := raw.(*clients)
	if o.bench > 0 {
		return runBench(o, client, c, started, config)
	}
	emit("launch", map[string]any{
		"protocol":         string(client.Protocol()),
		"protocol_version": client.NegotiatedVersion(),
		"network":          networkOf(client),
		"auto_mtls":        o.autoMTLS,
		"millis":           time.Since(started).Milliseconds(),
	})

	ctx := context.Background()
	call := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, o.timeout) }

	cctx, cancel := call()
	described, err := c.plugin.Describe(cctx, &v1.DescribeRequest{HostContractVersion: "v1"})
	cancel()
	if err != nil {
		return fmt.Errorf("Describe failed: %s", describe(err))
	}
	emitProto("describe", described)

	spec := &v1.ResourceSpec{Name: o.name, Type: o.typ, Config: config}
	cctx, cancel = call()
	created, err := c.driver.Create(cctx, &v1.CreateRequest{ActionId: o.actionID, Resource: spec})
	cancel()
	if err != nil {
		return fmt.Errorf("Create of %s %q failed: %s", o.typ, o.name, describe(err))
	}
	emitProto("create", created)

	cctx, cancel = call()
	read, err := c.driver.Read(cctx, &v1.ReadRequest{
		ActionId: o.actionID, Resource: spec, ProviderId: created.GetOutput().GetProviderId()})
	cancel()
	if err != nil {
		return fmt.Errorf("Read of %s %q failed: %s", o.typ, o.name, describe(err))
	}
	emitProto("read", read)

	stopping := time.Now()
	client.Kill()
	emit("kill", map[string]any{"exited": client.Exited(), "millis": time.Since(stopping).Milliseconds()})
	if !client.Exited() {
		return errors.New("the plugin was still running after Kill")
	}
	return nil
}

func networkOf(client *plugin.Client) string {
	if addr, err := client.Start(); err == nil {
		return addr.Network()
	}
	return ""
}

// describe renders a gRPC error with its compensa.v1.DriverError detail when there is one.
func describe(err error) string {
	st := status.Convert(err)
	text := fmt.Sprintf("%s: %s", st.Code(), st.Message())
	for _, detail := range st.Details() {
		if de, ok := detail.(*v1.DriverError); ok {
			text += fmt.Sprintf(" (driver error: %q, retryable=%v)", de.GetMessage(), de.GetRetryable())
		}
	}
	return text
}

func emit(step string, fields map[string]any) {
	fields["step"] = step
	line, _ := json.Marshal(fields)
	fmt.Println(string(line))
}

func emitProto(step string, message proto.Message) {
	body, err := protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: false}.Marshal(message)
	if err != nil {
		body = []byte(`{}`)
	}
	line, _ := json.Marshal(map[string]any{"step": step, "response": json.RawMessage(body)})
	fmt.Println(string(line))
}
