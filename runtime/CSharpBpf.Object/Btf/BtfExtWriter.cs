using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// Writes .BTF.ext (with the core_relo header fields, 32-byte header) adding its strings to the
/// .BTF string table being built; called through <see cref="BtfWriter.Write(Btf, BtfExt, bool)"/>
/// so both sections agree on offsets.
/// </summary>
internal static class BtfExtWriter
{
    public static byte[] Write(BtfExt ext, BtfStringTableBuilder strings, bool bigEndian)
    {
        if (ext is null) throw new ArgumentNullException(nameof(ext));
        var func = Block(ext.FuncInfos, BtfExtFormat.FuncInfoSize, strings, bigEndian, (s, r) =>
        {
            s.U32(r.InsnOffset);
            s.U32(r.TypeId);
        });
        var line = Block(ext.LineInfos, BtfExtFormat.LineInfoSize, strings, bigEndian, (s, r) =>
        {
            if (r.Column > BtfExtFormat.MaxColumn || r.Line > 0x3fffff)
                throw new InvalidOperationException($"line_info {r.FileName}:{r.Line}:{r.Column}: line must fit 22 bits and column 10 bits");
            s.U32(r.InsnOffset);
            s.U32(strings.Add(r.FileName));
            s.U32(strings.Add(r.LineText));
            s.U32(r.Line << 10 | r.Column);
        });
        var core = Block(ext.CoreRelos, BtfExtFormat.CoreReloSize, strings, bigEndian, (s, r) =>
        {
            s.U32(r.InsnOffset);
            s.U32(r.TypeId);
            s.U32(strings.Add(r.AccessString));
            s.U32((uint)r.Kind);
        });

        var output = new ByteSink(bigEndian, BtfExtFormat.HeaderSizeWithCoreRelo + func.Length + line.Length + core.Length);
        output.U16(BtfFormat.Magic);
        output.U8(1);
        output.U8(0);
        output.U32(BtfExtFormat.HeaderSizeWithCoreRelo);
        uint offset = 0;
        foreach (var block in new[] { func, line, core })
        {
            output.U32(offset);
            output.U32((uint)block.Length);
            offset += (uint)block.Length;
        }
        output.Bytes(func);
        output.Bytes(line);
        output.Bytes(core);
        return output.ToArray();
    }

    private static ByteSink Block<T>(List<BtfExtSection<T>> sections, uint recordSize, BtfStringTableBuilder strings,
        bool bigEndian, Action<ByteSink, T> write)
    {
        var sink = new ByteSink(bigEndian);
        bool any = false;
        foreach (var s in sections) any |= s.Records.Count > 0;
        if (!any) return sink; // an absent block has length 0 and no record size
        sink.U32(recordSize);
        foreach (var section in sections)
        {
            if (section.Records.Count == 0) continue; // libbpf rejects empty groups
            sink.U32(strings.Add(section.SectionName));
            sink.U32((uint)section.Records.Count);
            foreach (var r in section.Records) write(sink, r);
        }
        return sink;
    }
}
