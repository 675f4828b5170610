using System;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// Reads a BTF blob (a .BTF section, /sys/kernel/btf/vmlinux, or a module's split BTF on its
/// base). Everything is validated up front so a bad file fails here, with the byte offset and
/// what was expected, rather than later in a helper: header, section bounds, kinds, record
/// sizes, string offsets, type ids, and reference cycles that would make sizes infinite.
/// Either byte order is accepted (the magic tells which).
/// </summary>
public static class BtfReader
{
    public static Btf Read(byte[] bytes, Btf? baseBtf = null)
    {
        if (bytes is null) throw new ArgumentNullException(nameof(bytes));
        if (baseBtf is not null && baseBtf.Strings is null)
            throw new ArgumentException("a base BTF must itself have been read (split BTF string offsets continue its string table)", nameof(baseBtf));

        var header = ReadHeader(bytes);
        var input = new EndianBytes(bytes, header.BigEndian);
        var strings = ReadStrings(bytes, header, baseBtf);
        var btf = new Btf(baseBtf) { Strings = strings };
        btf.ReserveTypes(CountTypes(input, header));
        ReadTypes(input, header, strings, btf);
        BtfCycleCheck.Run(btf);
        return btf;
    }

    private readonly struct Header
    {
        public bool BigEndian { get; init; }
        public int TypeStart { get; init; }
        public int TypeEnd { get; init; }
        public int StrStart { get; init; }
        public int StrLength { get; init; }
    }

    private static BpfFormatException Fail(long offset, string expected) => new("BTF", offset, expected);

    private static Header ReadHeader(byte[] bytes)
    {
        if (bytes.Length < 8) throw Fail(bytes.Length, $"a btf_header (at least {BtfFormat.HeaderSize} bytes), input has {bytes.Length}");
        bool bigEndian;
        if (bytes[0] == 0x9f && bytes[1] == 0xeb) bigEndian = false;
        else if (bytes[0] == 0xeb && bytes[1] == 0x9f) bigEndian = true;
        else throw Fail(0, $"BTF magic 0xeb9f, found 0x{bytes[0]:x2}{bytes[1]:x2}");
        if (bytes[2] != BtfFormat.Version) throw Fail(2, $"BTF version 1, found {bytes[2]}");
        if (bytes[3] != 0) throw Fail(3, $"BTF header flags 0, found 0x{bytes[3]:x2}");
        var input = new EndianBytes(bytes, bigEndian);
        uint hdrLen = input.U32(4);
        if (hdrLen < BtfFormat.HeaderSize) throw Fail(4, $"hdr_len of at least {BtfFormat.HeaderSize}, found {hdrLen}");
        if (hdrLen > bytes.Length) throw Fail(4, $"hdr_len within the {bytes.Length}-byte input, found {hdrLen}");
        // A longer header from a newer kernel is fine only if the fields we do not know are zero (as the kernel checks).
        for (int i = BtfFormat.HeaderSize; i < hdrLen; i++)
            if (bytes[i] != 0) throw Fail(i, "zero in the unknown tail of a longer btf_header");

        uint typeOff = input.U32(8), typeLen = input.U32(12), strOff = input.U32(16), strLen = input.U32(20);
        ulong dataLen = (ulong)bytes.Length - hdrLen;
        if ((ulong)typeOff + typeLen > dataLen)
            throw Fail(8, $"type section (off {typeOff}, len {typeLen}) within the {dataLen} bytes after the header");
        if ((ulong)strOff + strLen > dataLen)
            throw Fail(16, $"string section (off {strOff}, len {strLen}) within the {dataLen} bytes after the header");
        if (typeOff % 4 != 0) throw Fail(8, $"a 4-byte aligned type_off, found {typeOff}");
        if (typeLen % 4 != 0) throw Fail(12, $"a type_len multiple of 4, found {typeLen}");
        bool overlap = typeLen != 0 && strLen != 0 && typeOff < (ulong)strOff + strLen && strOff < (ulong)typeOff + typeLen;
        if (overlap) throw Fail(16, $"type section [{typeOff}, {typeOff + typeLen}) and string section [{strOff}, {strOff + strLen}) not to overlap");
        return new Header
        {
            BigEndian = bigEndian,
            TypeStart = (int)(hdrLen + typeOff),
            TypeEnd = (int)(hdrLen + typeOff + typeLen),
            StrStart = (int)(hdrLen + strOff),
            StrLength = (int)strLen,
        };
    }

    private static BtfStringTable ReadStrings(byte[] bytes, Header h, Btf? baseBtf)
    {
        if (h.StrLength == 0)
        {
            // Split BTF may add no strings; a base needs at least the empty string at offset 0.
            if (baseBtf is null) throw Fail(20, "a string section holding at least the empty string (str_len >= 1)");
        }
        else
        {
            if (bytes[h.StrStart + h.StrLength - 1] != 0)
                throw Fail(h.StrStart + h.StrLength - 1, "a NUL as the last byte of the string section");
            if (baseBtf is null && bytes[h.StrStart] != 0)
                throw Fail(h.StrStart, "the empty string (a NUL) at string offset 0");
            if ((uint)h.StrLength - 1 > BtfFormat.MaxNameOffset && baseBtf is null)
                throw Fail(20, $"a string section of at most {BtfFormat.MaxNameOffset + 1} bytes, found {h.StrLength}");
        }
        return new BtfStringTable(bytes, h.StrStart, h.StrLength, baseBtf?.Strings);
    }

    private static void ReadTypes(EndianBytes input, Header h, BtfStringTable strings, Btf btf)
    {
        byte[] data = input.Data;
        uint stringLimit = strings.TotalLength;
        uint maxRef = 0;
        int maxRefAt = 0;
        int pos = h.TypeStart;
        int end = h.TypeEnd;

        void Ref(uint id, int at)
        {
            if (id > maxRef)
            {
                maxRef = id;
                maxRefAt = at;
            }
        }

        uint Name(int at)
        {
            uint off = input.U32(at);
            if (off >= stringLimit)
                throw Fail(at, $"a name offset below {stringLimit} (string table size), found {off}");
            return off;
        }

        while (pos < end)
        {
            if (end - pos < BtfFormat.TypeRecordSize)
                throw Fail(pos, $"a 12-byte btf_type record, the type section ends {end - pos} bytes later");
            uint nameOff = Name(pos);
            uint info = input.U32(pos + 4);
            uint sizeOrType = input.U32(pos + 8);
            int kindValue = (int)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            bool kindFlag = (info >> 31) != 0;
            if (kindValue == 0 || kindValue > BtfFormat.MaxKind)
                throw Fail(pos + 4, $"a BTF kind in 1..{BtfFormat.MaxKind} (bits 24-28 of info), found {kindValue}");
            var kind = (BtfKind)kindValue;
            if ((info & 0x60ff0000) != 0)
                throw Fail(pos + 4, $"zero in the unused bits 16-23 and 29-30 of info 0x{info:x8}");
            int extra = BtfFormat.ExtraSize(kind, vlen);
            int start = pos;
            int body = pos + BtfFormat.TypeRecordSize;
            if (end - body < extra)
                throw Fail(body, $"{extra} bytes of {kind} data (vlen {vlen}), the type section ends {end - body} bytes later");
            if (!VlenAllowed(kind) && vlen != 0) throw Fail(pos + 4, $"vlen 0 for {kind}, found {vlen}");
            if (kindFlag && !KindFlagAllowed(kind)) throw Fail(pos + 4, $"kind_flag 0 for {kind}");

            BtfType type;
            switch (kind)
            {
                case BtfKind.Int:
                {
                    uint word = input.U32(body);
                    uint bits = word & 0xff, offset = (word >> 16) & 0xff, encoding = (word >> 24) & 0x0f;
                    if ((word & 0xf000ff00) != 0) throw Fail(body, $"zero in the unused bits of INT data 0x{word:x8}");
                    if (sizeOrType is not (1 or 2 or 4 or 8 or 16)) throw Fail(pos + 8, $"an INT size of 1, 2, 4, 8 or 16 bytes, found {sizeOrType}");
                    if (bits == 0 || bits > 128 || offset + bits > sizeOrType * 8)
                        throw Fail(body, $"INT nr_bits 1..128 with bits_offset + nr_bits <= {sizeOrType * 8}, found offset {offset} bits {bits}");
                    if (encoding is not (0 or 1 or 2 or 4)) throw Fail(body, $"INT encoding 0, SIGNED, CHAR or BOOL, found {encoding}");
                    type = new BtfInt("", sizeOrType, (BtfIntEncoding)encoding, bits, (byte)offset);
                    break;
                }
                case BtfKind.Ptr:
                    Ref(sizeOrType, pos + 8);
                    type = new BtfPtr(sizeOrType);
                    break;
                case BtfKind.Typedef:
                    Ref(sizeOrType, pos + 8);
                    type = new BtfTypedef("", sizeOrType);
                    break;
                case BtfKind.Volatile:
                    Ref(sizeOrType, pos + 8);
                    type = new BtfVolatile(sizeOrType);
                    break;
                case BtfKind.Const:
                    Ref(sizeOrType, pos + 8);
                    type = new BtfConst(sizeOrType);
                    break;
                case BtfKind.Restrict:
                    Ref(sizeOrType, pos + 8);
                    type = new BtfRestrict(sizeOrType);
                    break;
                case BtfKind.TypeTag:
                    Ref(sizeOrType, pos + 8);
                    type = new BtfTypeTag("", sizeOrType);
                    break;
                case BtfKind.Func:
                    if (vlen > (int)BtfFuncLinkage.Extern) throw Fail(pos + 4, $"FUNC linkage static, global or extern (0..2 in vlen), found {vlen}");
                    Ref(sizeOrType, pos + 8);
                    type = new BtfFunc("", sizeOrType, (BtfFuncLinkage)vlen);
                    break;
                case BtfKind.Var:
                {
                    uint linkage = input.U32(body);
                    if (linkage > (uint)BtfVarLinkage.GlobalExtern) throw Fail(body, $"VAR linkage 0..2, found {linkage}");
                    Ref(sizeOrType, pos + 8);
                    type = new BtfVar("", sizeOrType, (BtfVarLinkage)linkage);
                    break;
                }
                case BtfKind.DeclTag:
                {
                    int component = (int)input.U32(body);
                    if (component < -1) throw Fail(body, $"DECL_TAG component_idx >= -1, found {component}");
                    Ref(sizeOrType, pos + 8);
                    type = new BtfDeclTag("", sizeOrType, component);
                    break;
                }
                case BtfKind.Float:
                    if (sizeOrType is not (2 or 4 or 8 or 12 or 16)) throw Fail(pos + 8, $"a FLOAT size of 2, 4, 8, 12 or 16 bytes, found {sizeOrType}");
                    type = new BtfFloat("", sizeOrType);
                    break;
                case BtfKind.Fwd:
                    type = new BtfFwd("", kindFlag);
                    break;
                case BtfKind.Array:
                {
                    uint elem = input.U32(body), index = input.U32(body + 4), count = input.U32(body + 8);
                    Ref(elem, body);
                    Ref(index, body + 4);
                    type = new BtfArray(elem, index, count);
                    break;
                }
                case BtfKind.Struct:
                case BtfKind.Union:
                {
                    BtfComposite c = kind == BtfKind.Struct ? new BtfStruct("", sizeOrType) : new BtfUnion("", sizeOrType);
                    var members = c.Members;
                    members.Capacity = vlen;
                    for (int i = 0, at = body; i < vlen; i++, at += 12)
                    {
                        uint memberName = Name(at);
                        uint memberType = input.U32(at + 4);
                        uint offset = input.U32(at + 8);
                        Ref(memberType, at + 4);
                        var m = kindFlag
                            ? new BtfMember("", memberType, offset & 0xffffff, offset >> 24)
                            : new BtfMember("", memberType, offset);
                        if (memberName != 0) m.SetLazyName(strings, memberName);
                        members.Add(m);
                    }
                    type = c;
                    break;
                }
                case BtfKind.Enum:
                case BtfKind.Enum64:
                {
                    if (sizeOrType is not (1 or 2 or 4 or 8)) throw Fail(pos + 8, $"an {kind} size of 1, 2, 4 or 8 bytes, found {sizeOrType}");
                    BtfEnumBase e = kind == BtfKind.Enum ? new BtfEnum("", sizeOrType, kindFlag) : new BtfEnum64("", sizeOrType, kindFlag);
                    var values = e.Values;
                    values.Capacity = vlen;
                    int stride = kind == BtfKind.Enum ? 8 : 12;
                    for (int i = 0, at = body; i < vlen; i++, at += stride)
                    {
                        uint valueName = Name(at);
                        long value;
                        if (kind == BtfKind.Enum)
                        {
                            uint raw = input.U32(at + 4);
                            value = kindFlag ? (int)raw : raw;
                        }
                        else
                        {
                            value = (long)((ulong)input.U32(at + 8) << 32 | input.U32(at + 4));
                        }
                        var v = new BtfEnumValue("", value);
                        if (valueName != 0) v.SetLazyName(strings, valueName);
                        values.Add(v);
                    }
                    type = e;
                    break;
                }
                case BtfKind.FuncProto:
                {
                    var proto = new BtfFuncProto(sizeOrType);
                    Ref(sizeOrType, pos + 8);
                    var parameters = proto.Parameters;
                    parameters.Capacity = vlen;
                    for (int i = 0, at = body; i < vlen; i++, at += 8)
                    {
                        uint paramName = Name(at);
                        uint paramType = input.U32(at + 4);
                        Ref(paramType, at + 4);
                        var p = new BtfParam("", paramType);
                        if (paramName != 0) p.SetLazyName(strings, paramName);
                        parameters.Add(p);
                    }
                    type = proto;
                    break;
                }
                case BtfKind.Datasec:
                {
                    var sec = new BtfDatasec("", sizeOrType);
                    var vars = sec.Variables;
                    vars.Capacity = vlen;
                    for (int i = 0, at = body; i < vlen; i++, at += 12)
                    {
                        uint varType = input.U32(at);
                        Ref(varType, at);
                        vars.Add(new BtfVarSecInfo(varType, input.U32(at + 4), input.U32(at + 8)));
                    }
                    type = sec;
                    break;
                }
                default:
                    throw Fail(pos + 4, $"a known BTF kind, found {kind}");
            }

            type.KindFlag = kindFlag;
            if (nameOff != 0) type.SetLazyName(strings, nameOff);
            type.SourceOffset = start;
            if (btf.LastId >= BtfFormat.MaxType) throw Fail(start, $"at most {BtfFormat.MaxType} types (BTF_MAX_TYPE)");
            btf.Add(type);
            pos = body + extra;
        }

        if (maxRef > btf.LastId)
            throw Fail(maxRefAt, $"a type id in 0..{btf.LastId} (the last type), found {maxRef}");
    }

    // A quick first pass (info words only) so the type list is allocated once at its final size;
    // any inconsistency is left for ReadTypes to report precisely.
    private static int CountTypes(EndianBytes input, Header h)
    {
        int count = 0;
        for (int pos = h.TypeStart; h.TypeEnd - pos >= BtfFormat.TypeRecordSize; count++)
        {
            uint info = input.U32(pos + 4);
            int kind = (int)((info >> 24) & 0x1f);
            if (kind == 0 || kind > BtfFormat.MaxKind) break;
            pos += BtfFormat.TypeRecordSize + BtfFormat.ExtraSize((BtfKind)kind, (int)(info & 0xffff));
        }
        return count;
    }

    private static bool VlenAllowed(BtfKind kind) => kind is BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
        or BtfKind.FuncProto or BtfKind.Datasec or BtfKind.Func;

    private static bool KindFlagAllowed(BtfKind kind) => kind is BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
        or BtfKind.Fwd or BtfKind.DeclTag or BtfKind.TypeTag;
}
