using System;

namespace CSharpBpf.Object.Btf;

/// <summary>The .BTF and .BTF.ext bytes written together over one string table.</summary>
public sealed record BtfWriteResult(byte[] Btf, byte[] BtfExt);

/// <summary>
/// Writes BTF in the layout the kernel's BTF_LOAD accepts: a 24-byte header, the type section,
/// then the string section with each distinct string once ("" at offset 0). Split BTF (a
/// <see cref="Btf"/> with a base) gets only its own types, with string offsets continuing the
/// base's string table. Inconsistent in-memory BTF (dangling type ids, too many members) is an
/// <see cref="InvalidOperationException"/> naming the type, never bytes the kernel would reject.
/// </summary>
public static class BtfWriter
{
    public static byte[] Write(Btf btf, bool bigEndian = false)
    {
        var strings = NewStrings(btf);
        var types = WriteTypes(btf, strings, bigEndian);
        return Assemble(types, strings, bigEndian);
    }

    /// <summary>Writes .BTF and .BTF.ext whose strings (file names, line text, access strings) share .BTF's table.</summary>
    public static BtfWriteResult Write(Btf btf, BtfExt ext, bool bigEndian = false)
    {
        var strings = NewStrings(btf);
        var types = WriteTypes(btf, strings, bigEndian);
        byte[] extBytes = BtfExtWriter.Write(ext, strings, bigEndian);
        return new BtfWriteResult(Assemble(types, strings, bigEndian), extBytes);
    }

    private static BtfStringTableBuilder NewStrings(Btf btf)
    {
        if (btf is null) throw new ArgumentNullException(nameof(btf));
        if (btf.Base is null) return new BtfStringTableBuilder();
        if (btf.Base.Strings is null) throw new InvalidOperationException("split BTF can be written only on a base that was read (its string offsets continue the base's)");
        return new BtfStringTableBuilder(btf.Base.Strings.TotalLength);
    }

    private static byte[] Assemble(ByteSink types, BtfStringTableBuilder strings, bool bigEndian)
    {
        byte[] stringBytes = strings.ToArray();
        var output = new ByteSink(bigEndian, BtfFormat.HeaderSize + types.Length + stringBytes.Length);
        output.U16(BtfFormat.Magic);
        output.U8(BtfFormat.Version);
        output.U8(0);
        output.U32(BtfFormat.HeaderSize);
        output.U32(0);
        output.U32((uint)types.Length);
        output.U32((uint)types.Length);
        output.U32((uint)stringBytes.Length);
        output.Bytes(types);
        output.Bytes(stringBytes);
        return output.ToArray();
    }

    private static ByteSink WriteTypes(Btf btf, BtfStringTableBuilder strings, bool bigEndian)
    {
        var sink = new ByteSink(bigEndian, btf.Types.Count * 24);
        uint lastId = btf.LastId;

        uint Name(BtfNamedItem item, BtfType owner)
        {
            uint off = item.IsAnonymous ? 0 : strings.Add(item.Name);
            if (off > BtfFormat.MaxNameOffset) throw new InvalidOperationException($"{owner}: string table exceeds BTF's 16 MiB name offset limit");
            return off;
        }

        uint Ref(uint id, BtfType owner)
        {
            if (id > lastId) throw new InvalidOperationException($"{owner} refers to type id {id}, beyond the last type {lastId}");
            return id;
        }

        void Head(BtfType t, int vlen, bool kindFlag, uint sizeOrType)
        {
            if (vlen > BtfFormat.MaxVlen) throw new InvalidOperationException($"{t} has {vlen} entries; BTF allows at most {BtfFormat.MaxVlen}");
            sink.U32(Name(t, t));
            sink.U32((kindFlag ? 1u << 31 : 0) | (uint)t.Kind << 24 | (uint)vlen);
            sink.U32(sizeOrType);
        }

        foreach (var t in btf.Types)
        {
            switch (t)
            {
                case BtfInt i:
                    if (i.Size is not (1 or 2 or 4 or 8 or 16)) throw new InvalidOperationException($"{t}: an INT is 1, 2, 4, 8 or 16 bytes, not {i.Size}");
                    if (i.Bits == 0 || i.Bits > 128 || i.Bits + i.Offset > i.Size * 8) throw new InvalidOperationException($"{t}: {i.Bits} bits at offset {i.Offset} do not fit {i.Size} bytes");
                    if (i.Encoding is not (BtfIntEncoding.None or BtfIntEncoding.Signed or BtfIntEncoding.Char or BtfIntEncoding.Bool))
                        throw new InvalidOperationException($"{t}: INT encoding must be one of none, SIGNED, CHAR, BOOL (the kernel allows no combination), not {i.Encoding}");
                    Head(t, 0, false, i.Size);
                    sink.U32((uint)i.Encoding << 24 | (uint)i.Offset << 16 | i.Bits);
                    break;
                case BtfFunc f:
                    Head(t, (int)f.Linkage, false, Ref(f.TypeId, t));
                    break;
                case BtfVar v:
                    Head(t, 0, false, Ref(v.TypeId, t));
                    sink.U32((uint)v.Linkage);
                    break;
                case BtfDeclTag d:
                    Head(t, 0, d.KindFlag, Ref(d.TypeId, t));
                    sink.U32((uint)d.ComponentIndex);
                    break;
                case BtfReferenceType r:
                    // Of the single-reference kinds only TYPE_TAG has a kind_flag meaning ("attribute").
                    Head(t, 0, r.KindFlag && r is BtfTypeTag, Ref(r.TypeId, t));
                    break;
                case BtfFloat fl:
                    Head(t, 0, false, fl.Size);
                    break;
                case BtfFwd fwd:
                    Head(t, 0, fwd.KindFlag, 0);
                    break;
                case BtfArray a:
                    Head(t, 0, false, 0);
                    sink.U32(Ref(a.ElementTypeId, t));
                    sink.U32(Ref(a.IndexTypeId, t));
                    sink.U32(a.Length);
                    break;
                case BtfComposite c:
                {
                    bool bitfields = c.KindFlag;
                    foreach (var m in c.Members) bitfields |= m.IsBitfield;
                    Head(t, c.Members.Count, bitfields, c.Size);
                    foreach (var m in c.Members)
                    {
                        sink.U32(Name(m, t));
                        sink.U32(Ref(m.TypeId, t));
                        if (bitfields)
                        {
                            if (m.BitOffset > 0xffffff || m.BitfieldSize > 0xff)
                                throw new InvalidOperationException($"{t} member '{m.Name}': bit offset {m.BitOffset} or bitfield size {m.BitfieldSize} too large for the bitfield encoding");
                            sink.U32(m.BitfieldSize << 24 | m.BitOffset);
                        }
                        else
                        {
                            sink.U32(m.BitOffset);
                        }
                    }
                    break;
                }
                case BtfEnum e:
                    Head(t, e.Values.Count, e.KindFlag, e.Size);
                    foreach (var v in e.Values)
                    {
                        sink.U32(Name(v, t));
                        sink.U32((uint)v.Value);
                    }
                    break;
                case BtfEnum64 e64:
                    Head(t, e64.Values.Count, e64.KindFlag, e64.Size);
                    foreach (var v in e64.Values)
                    {
                        sink.U32(Name(v, t));
                        sink.U32((uint)v.Value);
                        sink.U32((uint)((ulong)v.Value >> 32));
                    }
                    break;
                case BtfFuncProto p:
                    Head(t, p.Parameters.Count, false, Ref(p.ReturnTypeId, t));
                    foreach (var param in p.Parameters)
                    {
                        sink.U32(Name(param, t));
                        sink.U32(Ref(param.TypeId, t));
                    }
                    break;
                case BtfDatasec ds:
                    Head(t, ds.Variables.Count, false, ds.Size);
                    foreach (var v in ds.Variables)
                    {
                        sink.U32(Ref(v.TypeId, t));
                        sink.U32(v.Offset);
                        sink.U32(v.Size);
                    }
                    break;
                default:
                    throw new InvalidOperationException($"{t}: kind {t.Kind} cannot be written");
            }
        }
        return sink;
    }
}
