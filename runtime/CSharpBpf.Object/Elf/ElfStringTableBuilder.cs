using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CSharpBpf.Object.Elf;

/// <summary>Builds a STRTAB: byte 0 is the empty string, each distinct string stored once.</summary>
public sealed class ElfStringTableBuilder
{
    private readonly Dictionary<string, uint> _offsets = new(System.StringComparer.Ordinal) { [""] = 0 };
    private readonly MemoryStream _bytes = new();

    public ElfStringTableBuilder() => _bytes.WriteByte(0);

    public uint Add(string s)
    {
        if (_offsets.TryGetValue(s, out uint off)) return off;
        off = (uint)_bytes.Length;
        var encoded = Encoding.UTF8.GetBytes(s);
        _bytes.Write(encoded, 0, encoded.Length);
        _bytes.WriteByte(0);
        _offsets[s] = off;
        return off;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
