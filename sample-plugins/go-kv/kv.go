package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	v1 "compensa.dev/samples/go-kv/gen/compensa/v1"
)

const (
	entryType   = "gokv_entry"
	counterType = "gokv_counter"
	countersDir = ".counters"
	ledgerDir   = ".ledger"
)

// names are single path segments that cannot escape the root or hide among our own files
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)

// compensaPlugin registers the compensa.v1 services on the grpc.Server go-plugin creates.
type compensaPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	store *kvStore
}

func (p *compensaPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	v1.RegisterPluginServiceServer(s, &pluginService{})
	v1.RegisterDriverServiceServer(s, &driverService{store: p.store})
	v1.RegisterCompensableServiceServer(s, &compensableService{store: p.store})
	return nil
}

func (p *compensaPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, errors.New("go-kv is a plugin, not a client")
}

// ---- errors -------------------------------------------------------------------------------

// driverError is a gRPC status carrying a compensa.v1.DriverError detail.
func driverError(code codes.Code, retryable bool, format string, args ...any) error {
	message := fmt.Sprintf(format, args...)
	st, err := status.New(code, message).WithDetails(&v1.DriverError{Message: message, Retryable: retryable})
	if err != nil {
		return status.Error(code, message)
	}
	return st.Err()
}

func ioError(what string, err error) error {
	return driverError(codes.Unavailable, true, "%s: %v", what, err)
}

// ---- manifest -----------------------------------------------------------------------------

type pluginService struct {
	v1.UnimplementedPluginServiceServer
}

// stdoutFloodEnv names a diagnostic: when set to N, Describe first writes N numbered 64-byte lines
// to stdout, which go-plugin's Serve has turned into a pipe that only the GRPCStdio stream drains.
// The interop tests use it to check that the host opens that stream (else the writes would block
// once the pipe is full, and Describe with them) and forwards every line.
const stdoutFloodEnv = "GOKV_DIAGNOSTIC_STDOUT_LINES"

func floodStdout() {
	lines, err := strconv.Atoi(os.Getenv(stdoutFloodEnv))
	if err != nil || lines <= 0 {
		return
	}
	for i := 1; i <= lines; i++ {
		// 64 bytes with the newline: "stdout line 000001 " and padding
		fmt.Fprintf(os.Stdout, "stdout line %06d %s\n", i, "................................................"[:44])
	}
}

func (pluginService) Describe(context.Context, *v1.DescribeRequest) (*v1.DescribeResponse, error) {
	floodStdout()
	all := []v1.Operation{v1.Operation_OPERATION_CREATE, v1.Operation_OPERATION_READ,
		v1.Operation_OPERATION_UPDATE, v1.Operation_OPERATION_DELETE, v1.Operation_OPERATION_DIFF}
	hostInverse := v1.CompensationPolicy_COMPENSATION_POLICY_HOST_INVERSE
	byPlugin := v1.CompensationPolicy_COMPENSATION_POLICY_PLUGIN
	entrySample, _ := structpb.NewStruct(map[string]any{"key": "greeting", "value": "hello"})
	counterSample, _ := structpb.NewStruct(map[string]any{"name": "visits", "value": 1})
	// a second config per type changes the resource in place, so conformance checks Update too
	entryChanged, _ := structpb.NewStruct(map[string]any{"key": "greeting", "value": "bonjour"})
	counterChanged, _ := structpb.NewStruct(map[string]any{"name": "visits", "value": 5})
	return &v1.DescribeResponse{Manifest: &v1.Manifest{
		Name:            pluginName,
		Version:         pluginVersion,
		ContractVersion: "v1",
		ResourceTypes: []*v1.ResourceType{
			{
				Name:          entryType,
				Description:   "a key and a string value, stored as the file <root>/<key>",
				Operations:    all,
				Compensation:  &v1.CompensationPolicies{Create: hostInverse, Update: hostInverse, Delete: hostInverse},
				SampleConfigs: []*structpb.Struct{entrySample, entryChanged},
			},
			{
				Name:          counterType,
				Description:   "a named number, stored as <root>/.counters/<name>.json; undone by the plugin itself",
				Operations:    all,
				Compensation:  &v1.CompensationPolicies{Create: byPlugin, Update: byPlugin, Delete: byPlugin},
				SampleConfigs: []*structpb.Struct{counterSample, counterChanged},
			},
		},
		Capabilities: []v1.PluginCapability{v1.PluginCapability_PLUGIN_CAPABILITY_COMPENSABLE},
	}}, nil
}

// ---- storage ------------------------------------------------------------------------------

type kvStore struct {
	mu   sync.Mutex
	root string // empty when the plugin was started without its configuration
	log  hclog.Logger
}

// configured fails with FAILED_PRECONDITION, naming the variable, when the plugin has no root: it
// was started without COMPENSA_PLUGIN_CONFIG, which is enough to answer Describe but not to drive.
func (s *kvStore) configured() error {
	if s.root == "" {
		return driverError(codes.FailedPrecondition, false,
			`go-kv has no root directory: start it with %s={"root": "/absolute/dir"}`, configEnv)
	}
	return nil
}

// record is what the store keeps for one resource of either type.
type record struct {
	Type  string  `json:"type"`
	Name  string  `json:"name"`            // the key of an entry, the name of a counter
	Text  string  `json:"text,omitempty"`  // an entry's value
	Count float64 `json:"value,omitempty"` // a counter's value
}

func (s *kvStore) path(typ, name string) string {
	if typ == counterType {
		return filepath.Join(s.root, countersDir, name+".json")
	}
	return filepath.Join(s.root, name)
}

func (s *kvStore) load(typ, name string) (*record, error) {
	data, err := os.ReadFile(s.path(typ, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, ioError("cannot read "+name, err)
	}
	if typ == entryType {
		return &record{Type: typ, Name: name, Text: string(data)}, nil
	}
	var counter struct {
		Name  string  `json:"name"`
		Value float64 `json:"value"`
	}
	if err := json.Unmarshal(data, &counter); err != nil {
		return nil, driverError(codes.DataLoss, false, "counter file %s is not valid JSON: %v", s.path(typ, name), err)
	}
	return &record{Type: typ, Name: name, Count: counter.Value}, nil
}

func (s *kvStore) save(r *record) error {
	var data []byte
	if r.Type == entryType {
		data = []byte(r.Text)
	} else {
		data, _ = json.Marshal(map[string]any{"name": r.Name, "value": r.Count})
	}
	if err := writeAtomically(s.path(r.Type, r.Name), data); err != nil {
		return ioError("cannot write "+r.Name, err)
	}
	return nil
}

func (s *kvStore) remove(typ, name string) error {
	if err := os.Remove(s.path(typ, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ioError("cannot delete "+name, err)
	}
	return nil
}

// ledgerFile records which resource an action id created, so a retried Create is idempotent.
func (s *kvStore) ledgerFile(actionID string) string {
	sum := sha256.Sum256([]byte(actionID))
	return filepath.Join(s.root, ledgerDir, hex.EncodeToString(sum[:]))
}

func (s *kvStore) createdBy(actionID, typ, name string) bool {
	if actionID == "" {
		return false
	}
	data, err := os.ReadFile(s.ledgerFile(actionID))
	return err == nil && string(data) == typ+"/"+name
}

func (s *kvStore) recordCreation(actionID, typ, name string) error {
	if actionID == "" {
		return nil
	}
	if err := writeAtomically(s.ledgerFile(actionID), []byte(typ+"/"+name)); err != nil {
		return ioError("cannot record the creation", err)
	}
	return nil
}

func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ---- configs ------------------------------------------------------------------------------

// parse reads a resource config of either type into a record.
func parse(typ string, config *structpb.Struct) (*record, error) {
	fields := config.GetFields()
	switch typ {
	case entryType:
		key, err := stringField(typ, fields, "key")
		if err != nil {
			return nil, err
		}
		value, ok := fields["value"]
		if !ok {
			return nil, driverError(codes.InvalidArgument, false, `%s config needs "value" (a string)`, typ)
		}
		text, ok := value.GetKind().(*structpb.Value_StringValue)
		if !ok {
			return nil, driverError(codes.InvalidArgument, false, `%s config "value" must be a string`, typ)
		}
		return &record{Type: typ, Name: key, Text: text.StringValue}, nil
	case counterType:
		name, err := stringField(typ, fields, "name")
		if err != nil {
			return nil, err
		}
		value, ok := fields["value"].GetKind().(*structpb.Value_NumberValue)
		if !ok {
			return nil, driverError(codes.InvalidArgument, false, `%s config needs "value" (a number)`, typ)
		}
		return &record{Type: typ, Name: name, Count: value.NumberValue}, nil
	default:
		return nil, driverError(codes.InvalidArgument, false,
			"unknown resource type %q: go-kv drives %s and %s", typ, entryType, counterType)
	}
}

func stringField(typ string, fields map[string]*structpb.Value, name string) (string, error) {
	value, ok := fields[name].GetKind().(*structpb.Value_StringValue)
	if !ok || value.StringValue == "" {
		return "", driverError(codes.InvalidArgument, false, `%s config needs %q (a non-empty string)`, typ, name)
	}
	if !namePattern.MatchString(value.StringValue) {
		return "", driverError(codes.InvalidArgument, false,
			`%s %q %q is not allowed: use letters, digits, '.', '_' and '-', not starting with '.' or '-'`,
			typ, name, value.StringValue)
	}
	return value.StringValue, nil
}

func (r *record) config() *structpb.Struct {
	var cfg map[string]any
	if r.Type == entryType {
		cfg = map[string]any{"key": r.Name, "value": r.Text}
	} else {
		cfg = map[string]any{"name": r.Name, "value": r.Count}
	}
	s, _ := structpb.NewStruct(cfg)
	return s
}

func (s *kvStore) output(r *record) *v1.ResourceOutput {
	outputs := r.config()
	outputs.Fields["path"] = structpb.NewStringValue(s.path(r.Type, r.Name))
	return &v1.ResourceOutput{ProviderId: r.Name, Outputs: outputs}
}

// nameOf returns the resource's name from its state: the provider id, else its config.
func nameOf(state *v1.ResourceState) (string, error) {
	if id := state.GetOutput().GetProviderId(); id != "" {
		if !namePattern.MatchString(id) {
			return "", driverError(codes.InvalidArgument, false, "provider id %q is not one go-kv made", id)
		}
		return id, nil
	}
	r, err := parse(state.GetType(), state.GetConfig())
	if err != nil {
		return "", err
	}
	return r.Name, nil
}

// ---- driver -------------------------------------------------------------------------------

type driverService struct {
	v1.UnimplementedDriverServiceServer
	store *kvStore
}

func (d *driverService) Create(_ context.Context, req *v1.CreateRequest) (*v1.CreateResponse, error) {
	spec := req.GetResource()
	want, err := parse(spec.GetType(), spec.GetConfig())
	if err != nil {
		return nil, err
	}
	s := d.store
	if err := s.configured(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.createdBy(req.GetActionId(), want.Type, want.Name) {
		// a retry of a Create that already ran (possibly half-way): finish it, create nothing twice
		if existing, err := s.load(want.Type, want.Name); err != nil {
			return nil, err
		} else if existing != nil {
			s.log.Info("create retried, returning what this action created", "type", want.Type, "name", want.Name, "action", req.GetActionId())
			return &v1.CreateResponse{Output: s.output(existing)}, nil
		}
	} else if existing, err := s.load(want.Type, want.Name); err != nil {
		return nil, err
	} else if existing != nil {
		return nil, driverError(codes.AlreadyExists, false,
			"%s %q already exists and action %q did not create it: delete it or choose another name",
			want.Type, want.Name, req.GetActionId())
	}
	// the ledger first: a crash between the two leaves a retry that completes the creation
	if err := s.recordCreation(req.GetActionId(), want.Type, want.Name); err != nil {
		return nil, err
	}
	if err := s.save(want); err != nil {
		return nil, err
	}
	s.log.Info("created", "type", want.Type, "name", want.Name, "action", req.GetActionId())
	return &v1.CreateResponse{Output: s.output(want)}, nil
}

func (d *driverService) Read(_ context.Context, req *v1.ReadRequest) (*v1.ReadResponse, error) {
	spec := req.GetResource()
	name := req.GetProviderId()
	if name == "" {
		r, err := parse(spec.GetType(), spec.GetConfig())
		if err != nil {
			return nil, err
		}
		name = r.Name
	} else if !namePattern.MatchString(name) {
		return nil, driverError(codes.InvalidArgument, false, "provider id %q is not one go-kv made", name)
	}
	if spec.GetType() != entryType && spec.GetType() != counterType {
		return nil, driverError(codes.InvalidArgument, false,
			"unknown resource type %q: go-kv drives %s and %s", spec.GetType(), entryType, counterType)
	}
	s := d.store
	if err := s.configured(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	existing, err := s.load(spec.GetType(), name)
	if err != nil || existing == nil {
		return &v1.ReadResponse{Exists: false}, err
	}
	return &v1.ReadResponse{Exists: true, Output: s.output(existing), ObservedConfig: existing.config()}, nil
}

func (d *driverService) Update(_ context.Context, req *v1.UpdateRequest) (*v1.UpdateResponse, error) {
	spec := req.GetResource()
	want, err := parse(spec.GetType(), spec.GetConfig())
	if err != nil {
		return nil, err
	}
	if prior := req.GetPrior(); prior != nil && (prior.GetOutput() != nil || prior.GetConfig() != nil) {
		priorName, err := nameOf(&v1.ResourceState{Type: spec.GetType(), Config: prior.GetConfig(), Output: prior.GetOutput()})
		if err != nil {
			return nil, err
		}
		if priorName != want.Name {
			return nil, driverError(codes.InvalidArgument, false,
				"%s cannot be renamed in place (%q to %q): replace it", want.Type, priorName, want.Name)
		}
	}
	s := d.store
	if err := s.configured(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	existing, err := s.load(want.Type, want.Name)
	if err != nil {
		return nil, err
	}
	if existing == nil {
		return nil, driverError(codes.NotFound, false, "%s %q does not exist: create it first", want.Type, want.Name)
	}
	if err := s.save(want); err != nil {
		return nil, err
	}
	s.log.Info("updated", "type", want.Type, "name", want.Name, "action", req.GetActionId())
	return &v1.UpdateResponse{Output: s.output(want)}, nil
}

func (d *driverService) Delete(_ context.Context, req *v1.DeleteRequest) (*v1.DeleteResponse, error) {
	state := req.GetState()
	if state.GetType() != entryType && state.GetType() != counterType {
		return nil, driverError(codes.InvalidArgument, false,
			"unknown resource type %q: go-kv drives %s and %s", state.GetType(), entryType, counterType)
	}
	name, err := nameOf(state)
	if err != nil {
		return nil, err
	}
	s := d.store
	if err := s.configured(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.remove(state.GetType(), name); err != nil {
		return nil, err
	}
	s.log.Info("deleted", "type", state.GetType(), "name", name, "action", req.GetActionId())
	return &v1.DeleteResponse{}, nil
}

func (d *driverService) Diff(_ context.Context, req *v1.DiffRequest) (*v1.DiffResponse, error) {
	desired := req.GetDesired()
	want, err := parse(desired.GetType(), desired.GetConfig())
	if err != nil {
		return nil, err
	}
	prior := req.GetPrior()
	if prior == nil || prior.GetConfig() == nil {
		return &v1.DiffResponse{Change: v1.DiffResponse_CHANGE_REPLACE, ReplaceKeys: []string{nameKey(want.Type)}}, nil
	}
	had, err := parse(desired.GetType(), prior.GetConfig())
	if err != nil {
		return nil, err
	}
	switch {
	case had.Name != want.Name:
		return &v1.DiffResponse{Change: v1.DiffResponse_CHANGE_REPLACE, ReplaceKeys: []string{nameKey(want.Type)}}, nil
	case had.Text != want.Text || had.Count != want.Count:
		return &v1.DiffResponse{Change: v1.DiffResponse_CHANGE_UPDATE, ChangedKeys: []string{"value"}}, nil
	default:
		return &v1.DiffResponse{Change: v1.DiffResponse_CHANGE_NONE}, nil
	}
}

func nameKey(typ string) string {
	if typ == entryType {
		return "key"
	}
	return "name"
}

// ---- compensation -------------------------------------------------------------------------

type compensableService struct {
	v1.UnimplementedCompensableServiceServer
	store *kvStore
}

// Compensate undoes one action on a gokv_counter. Every branch writes an absolute end state
// (file gone, or file with the prior config), so calling it again is harmless.
func (c *compensableService) Compensate(_ context.Context, req *v1.CompensateRequest) (*v1.CompensateResponse, error) {
	action := req.GetAction()
	typ := action.GetResource().GetType()
	if typ != counterType {
		return failed("go-kv compensates only %s; %s is HOST_INVERSE (the host undoes it)", counterType, typ), nil
	}
	s := c.store
	if err := s.configured(); err != nil {
		return failed("%s", status.Convert(err).Message()), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	// the resource the action made or changed, and what was there before
	var made string
	if id := req.GetDriverOutput().GetProviderId(); id != "" && namePattern.MatchString(id) {
		made = id
	} else if r, err := parse(typ, action.GetResource().GetConfig()); err == nil {
		made = r.Name
	}
	var prior *record
	if state := req.GetPriorState(); state.GetConfig() != nil {
		r, err := parse(typ, state.GetConfig())
		if err != nil {
			return failed("the prior state's config is not a %s config: %v", typ, status.Convert(err).Message()), nil
		}
		prior = r
	}

	switch action.GetKind() {
	case v1.ActionKind_ACTION_KIND_CREATE:
		if made == "" {
			return failed("cannot tell which counter the create made: no provider id and no valid config"), nil
		}
		if err := s.remove(typ, made); err != nil {
			return failed("%s", status.Convert(err).Message()), nil
		}
		s.log.Info("compensated create: deleted counter", "name", made, "action", action.GetId())
		return &v1.CompensateResponse{Status: v1.ActionStatus_ACTION_STATUS_COMPENSATED,
			Detail: fmt.Sprintf("deleted counter %q", made)}, nil

	case v1.ActionKind_ACTION_KIND_UPDATE, v1.ActionKind_ACTION_KIND_DELETE:
		if prior == nil {
			return failed("no prior state to restore counter %q from", made), nil
		}
		if err := s.save(prior); err != nil {
			return failed("%s", status.Convert(err).Message()), nil
		}
		verb := map[v1.ActionKind]string{v1.ActionKind_ACTION_KIND_UPDATE: "update", v1.ActionKind_ACTION_KIND_DELETE: "delete"}[action.GetKind()]
		s.log.Info("compensated "+verb+": restored counter", "name", prior.Name, "value", prior.Count, "action", action.GetId())
		return &v1.CompensateResponse{Status: v1.ActionStatus_ACTION_STATUS_COMPENSATED,
			Detail:    fmt.Sprintf("restored counter %q to %s", prior.Name, strconv.FormatFloat(prior.Count, 'g', -1, 64)),
			Remaining: s.output(prior)}, nil

	case v1.ActionKind_ACTION_KIND_REPLACE:
		if prior == nil {
			return failed("no prior state to restore counter %q from", made), nil
		}
		if made != "" && made != prior.Name {
			if err := s.remove(typ, made); err != nil {
				return failed("%s", status.Convert(err).Message()), nil
			}
		}
		if err := s.save(prior); err != nil {
			return failed("%s", status.Convert(err).Message()), nil
		}
		s.log.Info("compensated replace", "removed", made, "restored", prior.Name, "action", action.GetId())
		return &v1.CompensateResponse{Status: v1.ActionStatus_ACTION_STATUS_COMPENSATED,
			Detail:    fmt.Sprintf("removed counter %q and restored %q", made, prior.Name),
			Remaining: s.output(prior)}, nil

	default:
		return failed("unknown action kind %v", action.GetKind()), nil
	}
}

func failed(format string, args ...any) *v1.CompensateResponse {
	return &v1.CompensateResponse{Status: v1.ActionStatus_ACTION_STATUS_COMPENSATION_FAILED, Detail: fmt.Sprintf(format, args...)}
}
