package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// The usage data sources write their state straight to msgpack, the form
// Terraform takes it in. A year of hourly records is half a million values:
// built as framework values, converted to tftypes, walked for semantic
// equality and null blocks, then encoded, they cost seconds of CPU and
// hundreds of megabytes; written directly, tens of milliseconds.
//
// What holds the state to the schema: every object state holds is written by
// an objectWriter built once from the schema's attributes at its place and a
// name → writer table, and the build fails, naming the data source and the
// attribute, when the two name different attributes (stateWriters). The
// package's tests do not run while a build fails (state_writer_test.go). A
// writer whose build failed anyway (the provider binary does not stop on it)
// writes no state unlike its schema: an attribute without a writer fails the
// read with the build's message, and a writer the schema lacks is never
// called. The types of the values written are held by the golden states
// (state_golden_test.go), which decode every data source's state with its
// schema's type, through both servers.

// stateWriter encodes one state value. Its errors are kept, not returned by
// every call: the first one is reported by finish.
type stateWriter struct {
	ctx     context.Context
	buf     bytes.Buffer
	enc     *msgpack.Encoder
	err     error
	n       int                      // values written, for the cancellation check
	config  map[string]tftypes.Value // the configuration, for the arguments state copies
	scratch []byte                   // an instant being formatted
}

func newStateWriter(ctx context.Context) *stateWriter {
	w := &stateWriter{ctx: ctx}
	// bytes.Buffer is a writer the encoder writes to as it is, unbuffered,
	// so raw bytes (the encoded keys of an objectWriter) can go in between.
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

// raw writes bytes already encoded.
func (w *stateWriter) raw(b []byte) { w.buf.Write(b) }

// instant writes a timestamp as the RFC 3339 string the schema shows.
func (w *stateWriter) instant(t time.Time) {
	w.tick()
	w.scratch = t.UTC().AppendFormat(w.scratch[:0], time.RFC3339)
	w.rawString(w.scratch)
}

// rawString writes b as a msgpack string without copying it into a string
// first: short ones (an instant is 20 bytes) as a fixstr.
func (w *stateWriter) rawString(b []byte) {
	if len(b) >= 32 {
		w.keep(w.enc.EncodeString(string(b)))
		return
	}
	w.buf.WriteByte(msgpcode.FixedStrLow | byte(len(b))) //nolint:gosec // G115: len(b) < 32, checked above
	w.buf.Write(b)
}

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

func (w *stateWriter) optionalFloat64(p *float64) {
	if p == nil {
		w.null()
		return
	}
	w.float64(*p)
}

func (w *stateWriter) optionalBool(b *bool) {
	if b == nil {
		w.null()
		return
	}
	w.boolean(*b)
}

// configured writes the configuration's value of a top-level argument back
// as it was.
func (w *stateWriter) configured(name string) {
	v, ok := w.config[name]
	if !ok {
		w.null()
		return
	}
	w.value(v)
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
		w.mapLen(len(names))
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

// writers is a name → writer table for an object of T: each attribute's
// writer, given the value the object is written from.
type writers[T any] map[string]func(*stateWriter, T)

// objectWriter writes one object of state: its attributes in the order
// msgpack objects are written (sorted by name), each by its writer. Built by
// newObjectWriter, once.
type objectWriter[T any] struct {
	head   []byte // the map's header, encoded
	fields []objectField[T]
}

type objectField[T any] struct {
	key   []byte // the attribute's name, encoded
	write func(*stateWriter, T)
}

func (o *objectWriter[T]) write(w *stateWriter, v T) {
	w.raw(o.head)
	for i := range o.fields {
		f := &o.fields[i]
		w.raw(f.key)
		f.write(w, v)
	}
}

// writeOrNull writes *v with o, or null when v is nil.
func writeOrNull[T any](w *stateWriter, o *objectWriter[*T], v *T) {
	if v == nil {
		w.null()
		return
	}
	o.write(w, v)
}

// nullable writes what of(v) points to with write, or null when it is nil.
func nullable[T, L any](of func(T) *L, write func(*stateWriter, *L)) func(*stateWriter, T) {
	return func(w *stateWriter, v T) {
		if l := of(v); l != nil {
			write(w, l)
			return
		}
		w.null()
	}
}

// writeEach writes a list of objects, each with o.
func writeEach[T any](w *stateWriter, o *objectWriter[*T], items []T) {
	w.listLen(len(items))
	for i := range items {
		o.write(w, &items[i])
	}
}

// objectAt is an object of a data source's schema, as a writer is built
// for it: where it is (for the build's messages) and its attributes.
type objectAt struct {
	source string // the data source's type name: usage_sims
	path   string // the object's attribute path: sims.total; "" at the top level
	attrs  map[string]schema.Attribute
	top    bool     // the top level: the arguments that are not Computed are copied from the configuration
	absent bool     // not in the schema: the build of its parent says so
	errs   *[]error // the build's failures, for every object of the data source
}

// pathTo is the attribute path of the object's attribute name.
func (o objectAt) pathTo(name string) string {
	if o.path == "" {
		return name
	}
	return o.path + "." + name
}

// errorf is a failure of the build, named for the data source.
func (o objectAt) errorf(format string, args ...any) error {
	return fmt.Errorf(o.source+": "+format, args...)
}

// fail records a failure of the build.
func (o objectAt) fail(format string, args ...any) { o.record(o.errorf(format, args...)) }

func (o objectAt) record(err error) { *o.errs = append(*o.errs, err) }

// at is the object the attribute name holds: a nested attribute's, or the
// element of a nested list.
func (o objectAt) at(name string) objectAt {
	in := objectAt{source: o.source, path: o.pathTo(name), errs: o.errs, absent: true}
	if o.absent {
		return in
	}
	switch a := o.attrs[name].(type) {
	case schema.SingleNestedAttribute:
		in.attrs, in.absent = a.Attributes, false
	case schema.ListNestedAttribute:
		in.attrs, in.absent = a.NestedObject.Attributes, false
	case nil: // the parent's build names it
	default:
		o.fail("%s is written as an object, but the schema has a %T", in.path, a)
	}
	return in
}

// newObjectWriter builds the writer of the object at: table must name
// exactly its attributes (at the top level, exactly its Computed ones, the
// others being copied from the configuration). Each difference is a failure
// of the build, kept in at's errs; an attribute without a writer is written
// by one that fails the read with that failure, so that no state goes out
// unlike the schema.
func newObjectWriter[T any](at objectAt, table writers[T]) *objectWriter[T] {
	names := slices.Sorted(maps.Keys(at.attrs))
	o := &objectWriter[T]{head: encoded(func(e *msgpack.Encoder) error { return e.EncodeMapLen(len(names)) })}
	for _, name := range names {
		write, ok := table[name]
		switch {
		case at.top && !at.attrs[name].IsComputed():
			if ok {
				at.fail("a writer for %s, which is an argument (not Computed): state holds it as configured", at.pathTo(name))
			}
			write = func(w *stateWriter, _ T) { w.configured(name) }
		case !ok:
			err := at.errorf("%s has no writer", at.pathTo(name))
			at.record(err)
			write = func(w *stateWriter, _ T) { w.keep(err); w.null() }
		}
		key := encoded(func(e *msgpack.Encoder) error { return e.EncodeString(name) })
		o.fields = append(o.fields, objectField[T]{key: key, write: write})
	}
	if !at.absent {
		for _, name := range slices.Sorted(maps.Keys(table)) {
			if _, ok := at.attrs[name]; !ok {
				at.fail("a writer for %s, which the schema does not have", at.pathTo(name))
			}
		}
	}
	return o
}

// encoded is what encode writes, as bytes.
func encoded(encode func(*msgpack.Encoder) error) []byte {
	var b bytes.Buffer
	if err := encode(msgpack.NewEncoder(&b)); err != nil {
		panic(err) // writing to a bytes.Buffer does not fail
	}
	return b.Bytes()
}

// topOf is the top level of a data source's schema, named by its type name
// as the framework makes it; errs collects the failures of a build for it.
func topOf(newDS func() datasource.DataSource, errs *[]error) objectAt {
	ctx := context.Background()
	var named provider.MetadataResponse
	(&usageProvider{}).Metadata(ctx, provider.MetadataRequest{}, &named)
	ds := newDS()
	var meta datasource.MetadataResponse
	ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: named.TypeName}, &meta)
	var resp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
	top := objectAt{source: meta.TypeName, attrs: resp.Schema.Attributes, top: true, errs: errs}
	if resp.Diagnostics.HasError() {
		top.fail("the schema answers errors: %v", resp.Diagnostics)
	}
	if len(resp.Schema.Blocks) > 0 {
		top.fail("blocks %v, which state writers do not write", slices.Sorted(maps.Keys(resp.Schema.Blocks)))
	}
	return top
}

// newTopWriter builds the writer of a data source's state from its schema:
// table (given the top level, to build the writers of the objects within)
// writes the Computed attributes, and the configuration's values are copied
// for the others, as the framework starts state from the configuration. errs
// collects the build's failures.
func newTopWriter[T any](newDS func() datasource.DataSource, table func(top objectAt) writers[T], errs *[]error) *objectWriter[T] {
	top := topOf(newDS, errs)
	return newObjectWriter(top, table(top))
}

// stateWriterSet is the writer of each usage data source's state.
type stateWriterSet struct {
	account, sim  *objectWriter[*koreState]
	sims          *objectWriter[*simsState]
	subscription  *objectWriter[*subscriptionState]
	subscriptions *objectWriter[*subscriptionsState]
	err           error // every failure of the builds, joined; nil when each writer matches its schema
}

// stateWriters are the usage data sources' writers, built once.
var stateWriters = sync.OnceValue(func() *stateWriterSet {
	var errs []error
	s := &stateWriterSet{
		account:       newTopWriter(newAccountDataSource, koreUsageWriters, &errs),
		sim:           newTopWriter(newSimDataSource, simWriters, &errs),
		sims:          newTopWriter(newSimsDataSource, simsWriters, &errs),
		subscription:  newTopWriter(newSubscriptionDataSource, subscriptionWriters, &errs),
		subscriptions: newTopWriter(newSubscriptionsDataSource, subscriptionsWriters, &errs),
	}
	s.err = errors.Join(errs...)
	return s
})

// memberStateBytes is about what one fleet member takes in state (a SIM
// read with granularity all: 583 bytes; with limits, a little more).
const memberStateBytes = 640

// writeState writes a data source's state with its writer: v is what the
// read found, config what it was given, sizeHint the bytes to reserve (a
// fleet's state is megabytes, which a buffer growing from nothing copies
// over and over).
func writeState[T any](ctx context.Context, config tfsdk.Config, top *objectWriter[T], v T, sizeHint int) ([]byte, error) {
	var args map[string]tftypes.Value
	if err := config.Raw.As(&args); err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	w := newStateWriter(ctx)
	w.buf.Grow(sizeHint)
	w.config = args
	top.write(w, v)
	return w.finish()
}

// stateWritingDataSource is a data source whose Read writes its state as msgpack: the
// provider's server answers ReadDataSource with those bytes as they are,
// and the framework's Read decodes them (see readInto).
type stateWritingDataSource interface {
	datasource.DataSourceWithConfigure
	readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []byte
	providerData() *providerData
}

// readInto is the framework's Read of a stateWritingDataSource: the same state,
// decoded for the framework. The provider's own server never calls it.
func readInto(ctx context.Context, r stateWritingDataSource, req datasource.ReadRequest, resp *datasource.ReadResponse) {
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
