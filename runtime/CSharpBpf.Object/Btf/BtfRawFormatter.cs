using System.Globalization;
using System.IO;
using System.Text;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// Formats types as `bpftool btf dump ... format raw` does (same lines, so the two can be diffed).
/// With <c>annotate</c>, members also get their byte offset — "(byte 8)", or "(byte 8 bit 3)" for
/// a bitfield — and types whose size is implied (typedef, array, modifiers) get "(size N)".
/// </summary>
public static class BtfRawFormatter
{
    public static string Format(Btf btf, bool annotate = false)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var t in btf.Types) Write(w, btf, t, annotate);
        return w.ToString();
    }

    public static string Format(Btf btf, BtfType type, bool annotate = false)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        Write(w, btf, type, annotate);
        return w.ToString();
    }

    public static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Void => "UNKNOWN",
        BtfKind.Int => "INT",
        BtfKind.Ptr => "PTR",
        BtfKind.Array => "ARRAY",
        BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION",
        BtfKind.Enum => "ENUM",
        BtfKind.Fwd => "FWD",
        BtfKind.Typedef => "TYPEDEF",
        BtfKind.Volatile => "VOLATILE",
        BtfKind.Const => "CONST",
        BtfKind.Restrict => "RESTRICT",
        BtfKind.Func => "FUNC",
        BtfKind.FuncProto => "FUNC_PROTO",
        BtfKind.Var => "VAR",
        BtfKind.Datasec => "DATASEC",
        BtfKind.Float => "FLOAT",
        BtfKind.DeclTag => "DECL_TAG",
        BtfKind.TypeTag => "TYPE_TAG",
        BtfKind.Enum64 => "ENUM64",
        _ => "UNKNOWN",
    };

    /// <summary>Writes one type (and its member lines), newline-terminated.</summary>
    public static void Write(TextWriter w, Btf btf, BtfType t, bool annotate = false)
    {
        var sb = new StringBuilder(64);
        sb.Append('[').Append(t.Id).Append("] ").Append(KindName(t.Kind)).Append(" '").Append(NameOf(t)).Append('\'');
        switch (t)
        {
            case BtfInt i:
                sb.Append(" size=").Append(i.Size).Append(" bits_offset=").Append(i.Offset).Append(" nr_bits=").Append(i.Bits)
                  .Append(" encoding=").Append(IntEncoding(i.Encoding));
                break;
            case BtfFunc f:
                sb.Append(" type_id=").Append(f.TypeId).Append(" linkage=").Append(f.Linkage switch
                {
                    BtfFuncLinkage.Static => "static",
                    BtfFuncLinkage.Global => "global",
                    BtfFuncLinkage.Extern => "extern",
                    _ => "(unknown)",
                });
                break;
            case BtfVar v:
                sb.Append(" type_id=").Append(v.TypeId).Append(", linkage=").Append(v.Linkage switch
                {
                    BtfVarLinkage.Static => "static",
                    BtfVarLinkage.GlobalAllocated => "global",
                    BtfVarLinkage.GlobalExtern => "extern",
                    _ => "(unknown)",
                });
                break;
            case BtfDeclTag d:
                sb.Append(" type_id=").Append(d.TypeId).Append(" component_idx=").Append(d.ComponentIndex);
                break;
            case BtfReferenceType r:
                sb.Append(" type_id=").Append(r.TypeId);
                AppendSize(sb, btf, t, annotate);
                break;
            case BtfArray a:
                sb.Append(" type_id=").Append(a.ElementTypeId).Append(" index_type_id=").Append(a.IndexTypeId).Append(" nr_elems=").Append(a.Length);
                AppendSize(sb, btf, t, annotate);
                break;
            case BtfFwd fwd:
                sb.Append(" fwd_kind=").Append(fwd.IsUnion ? "union" : "struct");
                break;
            case BtfFloat fl:
                sb.Append(" size=").Append(fl.Size);
                break;
            case BtfComposite c:
                sb.Append(" size=").Append(c.Size).Append(" vlen=").Append(c.Members.Count);
                foreach (var m in c.Members)
                {
                    sb.Append("\n\t'").Append(NameOf(m)).Append("' type_id=").Append(m.TypeId).Append(" bits_offset=").Append(m.BitOffset);
                    if (m.IsBitfield) sb.Append(" bitfield_size=").Append(m.BitfieldSize);
                    if (annotate)
                    {
                        sb.Append(" (byte ").Append(m.ByteOffset);
                        if (m.IsBitfield) sb.Append(" bit ").Append(m.BitOffset % 8);
                        sb.Append(')');
                    }
                }
                break;
            case BtfEnumBase e:
                sb.Append(" encoding=").Append(e.IsSigned ? "SIGNED" : "UNSIGNED").Append(" size=").Append(e.Size).Append(" vlen=").Append(e.Values.Count);
                foreach (var v in e.Values)
                {
                    sb.Append("\n\t'").Append(NameOf(v)).Append("' val=");
                    if (e is BtfEnum)
                        sb.Append(e.IsSigned ? (int)v.Value : (uint)v.Value);
                    else if (e.IsSigned)
                        sb.Append(v.Value).Append("LL");
                    else
                        sb.Append((ulong)v.Value).Append("ULL");
                }
                break;
            case BtfFuncProto p:
                sb.Append(" ret_type_id=").Append(p.ReturnTypeId).Append(" vlen=").Append(p.Parameters.Count);
                foreach (var param in p.Parameters)
                    sb.Append("\n\t'").Append(NameOf(param)).Append("' type_id=").Append(param.TypeId);
                break;
            case BtfDatasec ds:
                sb.Append(" size=").Append(ds.Size).Append(" vlen=").Append(ds.Variables.Count);
                foreach (var v in ds.Variables)
                {
                    sb.Append("\n\ttype_id=").Append(v.TypeId).Append(" offset=").Append(v.Offset).Append(" size=").Append(v.Size);
                    if (btf.TryGetType(v.TypeId, out var target))
                        sb.Append(" (").Append(KindName(target.Kind)).Append(" '").Append(NameOf(target)).Append("')");
                }
                break;
        }
        sb.Append('\n');
        w.Write(sb.ToString());
    }

    private static string NameOf(BtfNamedItem item) => item.IsAnonymous ? "(anon)" : item.Name;

    private static string IntEncoding(BtfIntEncoding e) => e switch
    {
        BtfIntEncoding.None => "(none)",
        BtfIntEncoding.Signed => "SIGNED",
        BtfIntEncoding.Char => "CHAR",
        BtfIntEncoding.Bool => "BOOL",
        _ => "UNKN",
    };

    // The implied size of typedefs, arrays and modifiers, which the raw format leaves out; a
    // pointer-free cycle or a FUNC_PROTO target has none, and then nothing is printed.
    private static void AppendSize(StringBuilder sb, Btf btf, BtfType t, bool annotate)
    {
        if (!annotate || t is BtfPtr) return;
        try
        {
            ulong size = btf.SizeOf(t.Id); // before appending: a sizeless type must leave no trace
            sb.Append(" (size ").Append(size).Append(')');
        }
        catch (System.InvalidOperationException)
        {
        }
        catch (BpfFormatException)
        {
        }
        catch (System.OverflowException)
        {
        }
    }
}
