package provider

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// The usage data sources write their state straight to msgpack, the form
// Terraform takes it in. A year of hourly records is half a million values:
// built as framework values, converted to tftypes, walked for semantic
// equality and null blocks, then encoded, they cost seconds of CPU and
// hundreds of megabytes; written directly, tens of milliseconds. Attribute
// names and types still come from the schema, so state cannot drift from it.

// stateWriter encodes one state value. Its errors are kept, not returned by
// every call: the first one is reported by finish.
type stateWriter struct {
	ctx context.Context
	buf bytes.Buffer
	enc *msgpack.Encoder
	err error
	n   int // values written, for the cancellation check
}

func newStateWriter(ctx context.Context) *stateWriter {
	w := &stateWriter{ctx: ctx}
	w.enc = msgpack.NewEncoder(&w.buf)
	return w
}

// cancelEvery is how many values are written between checks of the read's
// context, so that an interrupted read stops within milliseconds.
const cancelEvery = 4096

func (w *stateWriter) keep(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *stateWriter) tick() {
	if w.n++; w.n%cancelEvery == 0 && w.err == nil {
		w.keep(w.ctx.Err())
	}
}

func (w *stateWriter) str(s string)      { w.tick(); w.keep(w.enc.EncodeString(s)) }
func (w *stateWriter) int64(v int64)     { w.tick(); w.keep(w.enc.EncodeInt(v)) }
func (w *stateWriter) float64(v float64) { w.tick(); w.keep(w.enc.EncodeFloat64(v)) }
func (w *stateWriter) boolean(v bool)    { w.tick(); w.keep(w.enc.EncodeBool(v)) }
func (w *stateWriter) null()             { w.tick(); w.keep(w.enc.EncodeNil()) }
func (w *stateWriter) listLen(n int)     { w.keep(w.enc.EncodeArrayLen(n)) }
func (w *stateWriter) mapLen(n int)      { w.keep(w.enc.EncodeMapLen(n)) }
func (w *stateWriter) key(name string)   { w.keep(w.enc.EncodeString(name)) }

// instant writes a timestamp as the RFC 3339 string the schema shows.
func (w *stateWriter) instant(t time.Time) { w.str(t.UTC().Format(time.RFC3339)) }

func (w *stateWriter) optionalStr(s string) {
	if s == "" {
		w.null()
		return
	}
	w.str(s)
}

func (w *stateWriter) optionalInt64(p *int64) {
	if p == nil {
		w.null()
		return
	}
	w.int64(*p)
}

// value writes a value Terraform sent (a configured argument) back as it was.
func (w *stateWriter) value(v tftypes.Value) {
	switch {
	case !v.IsKnown():
		w.keep(fmt.Errorf("writing state: an unknown value at read"))
	case v.IsNull():
		w.null()
	case v.Type().Is(tftypes.String):
		var s string
		w.keep(v.As(&s))
		w.str(s)
	case v.Type().Is(tftypes.Bool):
		var b bool
		w.keep(v.As(&b))
		w.boolean(b)
	case v.Type().Is(tftypes.Number):
		var f big.Float
		w.keep(v.As(&f))
		if i, acc := f.Int64(); acc == big.Exact {
			w.int64(i)
		} else {
			x, _ := f.Float64()
			w.float64(x)
		}
	case v.Type().Is(tftypes.Object{}):
		var m map[string]tftypes.Value
		w.keep(v.As(&m))
		names := slices.Sorted(maps.Keys(m))
		w.keep(w.enc.EncodeMapLen(len(names)))
		for _, name := range names {
			w.keep(w.enc.EncodeString(name))
			w.value(m[name])
		}
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}), v.Type().Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		w.keep(v.As(&elems))
		w.listLen(len(elems))
		for _, e := range elems {
			w.value(e)
		}
	default:
		w.keep(fmt.Errorf("writing state: unexpected argument type %s", v.Type()))
	}
}

// finish returns the state, or the first error.
func (w *stateWriter) finish() ([]byte, error) {
	if w.err == nil {
		w.keep(w.ctx.Err())
	}
	return w.buf.Bytes(), w.err
}

// shape is an object's attribute names, in the order msgpack objects are
// written, read off the schema once.
type shape struct{ names []string }

func shapeOf(attrs map[string]schema.Attribute) shape {
	return shape{names: slices.Sorted(maps.Keys(attrs))}
}

// writeState writes a data source's state: each attribute in computed by
// its writer, every other one as the configuration gave it (as the framework
// does, starting the state from the configuration).
func writeState(ctx context.Context, config tfsdk.Config, computed map[string]func(*stateWriter)) ([]byte, error) {
	var args map[string]tftypes.Value
	if err := config.Raw.As(&args); err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	w := newStateWriter(ctx)
	names := slices.Sorted(maps.Keys(config.Schema.GetAttributes()))
	w.mapLen(len(names))
	for _, name := range names {
		w.key(name)
		if f, ok := computed[name]; ok {
			f(w)
			continue
		}
		if v, ok := args[name]; ok {
			w.value(v)
			continue
		}
		w.null()
	}
	return w.finish()
}

// stateReader is a data source whose Read writes its state as msgpack: the
// provider's server answers ReadDataSource with those bytes as they are,
// and the framework's Read decodes them (see readInto).
type stateReader interface {
	datasource.DataSourceWithConfigure
	readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []byte
	providerData() *providerData
}

// readInto is the framework's Read of a stateReader: the same state,
// decoded for the framework. The provider's own server never calls it.
func readInto(ctx context.Context, r stateReader, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var diags diag.Diagnostics
	state := r.readState(ctx, req.Config, &diags)
	resp.Diagnostics.Append(r.providerData().clean(diags)...)
	if resp.Diagnostics.HasError() {
		return
	}
	raw, err := (&tfprotov6.DynamicValue{MsgPack: state}).Unmarshal(req.Config.Schema.Type().TerraformType(ctx))
	if err != nil {
		resp.Diagnostics.AddError("Writing the state failed", err.Error())
		return
	}
	resp.State.Raw = raw
}
