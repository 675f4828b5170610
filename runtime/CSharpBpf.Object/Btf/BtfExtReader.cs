using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// Reads .BTF.ext: a header, then up to three info blocks (func_info, line_info, core_relo),
/// each a record size followed by per-section groups {sec_name_off, num_info, records}. String
/// offsets index the string table of the object's .BTF, so the already-read <see cref="Btf"/> is
/// needed. Record sizes larger than known are accepted (newer fields skipped), as libbpf does.
/// </summary>
public static class BtfExtReader
{
    public static BtfExt Read(byte[] bytes, Btf btf)
    {
        if (bytes is null) throw new ArgumentNullException(nameof(bytes));
        if (btf?.Strings is null) throw new ArgumentException("the object's .BTF must have been read: .BTF.ext strings index its string table", nameof(btf));
        var strings = btf.Strings;

        if (bytes.Length < 8) throw Fail(bytes.Length, $"a btf_ext_header (at least {BtfExtFormat.HeaderSizeV1} bytes), input has {bytes.Length}");
        bool bigEndian;
        if (bytes[0] == 0x9f && bytes[1] == 0xeb) bigEndian = false;
        else if (bytes[0] == 0xeb && bytes[1] == 0x9f) bigEndian = true;
        else throw Fail(0, $"BTF.ext magic 0xeb9f, found 0x{bytes[0]:x2}{bytes[1]:x2}");
        if (bytes[2] != 1) throw Fail(2, $"BTF.ext version 1, found {bytes[2]}");
        if (bytes[3] != 0) throw Fail(3, $"BTF.ext flags 0, found 0x{bytes[3]:x2}");
        var input = new EndianBytes(bytes, bigEndian);
        uint hdrLen = input.U32(4);
        if (hdrLen < BtfExtFormat.HeaderSizeV1) throw Fail(4, $"hdr_len of at least {BtfExtFormat.HeaderSizeV1}, found {hdrLen}");
        if (hdrLen > bytes.Length) throw Fail(4, $"hdr_len within the {bytes.Length}-byte input, found {hdrLen}");

        var ext = new BtfExt();
        var cache = new Dictionary<uint, string>();
        string Str(int at)
        {
            uint off = input.U32(at);
            if (!strings.Contains(off)) throw Fail(at, $"a string offset below {strings.TotalLength} (the .BTF string table size), found {off}");
            if (!cache.TryGetValue(off, out var s)) cache.Add(off, s = strings.GetString(off));
            return s;
        }

        var func = Block(input, hdrLen, 8, BtfExtFormat.FuncInfoSize, "func_info");
        if (func.Length > 0)
        {
            ext.FuncInfoRecordSize = func.RecordSize;
            ReadGroups(input, func, Str, ext.FuncInfos, at => new BtfFuncInfo(input.U32(at), input.U32(at + 4)));
        }
        var line = Block(input, hdrLen, 16, BtfExtFormat.LineInfoSize, "line_info");
        if (line.Length > 0)
        {
            ext.LineInfoRecordSize = line.RecordSize;
            ReadGroups(input, line, Str, ext.LineInfos, at =>
            {
                uint lineCol = input.U32(at + 12);
                return new BtfLineInfo(input.U32(at), Str(at + 4), Str(at + 8), lineCol >> 10, lineCol & BtfExtFormat.MaxColumn);
            });
        }
        if (hdrLen >= BtfExtFormat.HeaderSizeWithCoreRelo)
        {
            var core = Block(input, hdrLen, 24, BtfExtFormat.CoreReloSize, "core_relo");
            if (core.Length > 0)
            {
                ext.CoreReloRecordSize = core.RecordSize;
                ReadGroups(input, core, Str, ext.CoreRelos, at =>
                {
                    uint kind = input.U32(at + 12);
                    if (kind > (uint)BpfCoreReloKind.TypeMatches)
                        throw Fail(at + 12, $"a bpf_core_relo_kind in 0..{(uint)BpfCoreReloKind.TypeMatches}, found {kind}");
                    return new BtfCoreRelo(input.U32(at), input.U32(at + 4), Str(at + 8), (BpfCoreReloKind)kind);
                });
            }
        }
        return ext;
    }

    private readonly struct InfoBlock
    {
        public string What { get; init; }
        public int Start { get; init; }
        public int Length { get; init; }
        public uint RecordSize { get; init; }
    }

    private static BpfFormatException Fail(long offset, string expected) => new("BTF.ext", offset, expected);

    private static InfoBlock Block(EndianBytes input, uint hdrLen, int fieldAt, uint minRecord, string what)
    {
        uint off = input.U32(fieldAt), len = input.U32(fieldAt + 4);
        if (len == 0) return new InfoBlock { What = what };
        ulong dataLen = (ulong)input.Data.Length - hdrLen;
        if ((ulong)off + len > dataLen)
            throw Fail(fieldAt, $"{what} (off {off}, len {len}) within the {dataLen} bytes after the header");
        if (off % 4 != 0) throw Fail(fieldAt, $"a 4-byte aligned {what} offset, found {off}");
        if (len < 4) throw Fail(fieldAt + 4, $"a {what} length holding at least the record size, found {len}");
        int start = (int)(hdrLen + off);
        uint recordSize = input.U32(start);
        if (recordSize < minRecord || recordSize % 4 != 0)
            throw Fail(start, $"a {what} record size that is a multiple of 4 and at least {minRecord}, found {recordSize}");
        return new InfoBlock { What = what, Start = start, Length = (int)len, RecordSize = recordSize };
    }

    private static void ReadGroups<T>(EndianBytes input, InfoBlock block, Func<int, string> str,
        List<BtfExtSection<T>> into, Func<int, T> record)
    {
        int pos = block.Start + 4;
        int end = block.Start + block.Length;
        while (pos < end)
        {
            if (end - pos < 8) throw Fail(pos, $"a {block.What} section header (sec_name_off, num_info), the block ends {end - pos} bytes later");
            string name = str(pos);
            uint count = input.U32(pos + 4);
            pos += 8;
            if ((ulong)count * block.RecordSize > (ulong)(end - pos))
                throw Fail(pos - 4, $"{count} {block.What} records of {block.RecordSize} bytes for section '{name}', the block ends {end - pos} bytes later");
            var section = new BtfExtSection<T>(name);
            section.Records.Capacity = (int)count;
            for (uint i = 0; i < count; i++, pos += (int)block.RecordSize)
                section.Records.Add(record(pos));
            into.Add(section);
        }
    }
}
