using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// Builds a deduplicated BTF string section: "" at offset 0, every distinct string once.
/// The .BTF.ext writer adds its file names, line texts and access strings to the same table,
/// since .BTF.ext offsets index .BTF's strings.
/// </summary>
public sealed class BtfStringTableBuilder
{
    private readonly Dictionary<string, uint> _offsets = new(System.StringComparer.Ordinal);
    private readonly MemoryStream _bytes = new();

    /// <param name="startOffset">Offset of the first byte (the base BTF's string size when writing split BTF).</param>
    public BtfStringTableBuilder(uint startOffset = 0)
    {
        StartOffset = startOffset;
        // "" is offset 0: the first byte of a base table, the base's own "" for split BTF.
        _offsets.Add("", 0);
        if (startOffset == 0) _bytes.WriteByte(0);
    }

    public uint StartOffset { get; }

    public int Length => (int)_bytes.Length;

    /// <summary>The offset of <paramref name="s"/>, adding it on first use.</summary>
    public uint Add(string s)
    {
        if (_offsets.TryGetValue(s, out uint off)) return off;
        off = StartOffset + (uint)_bytes.Length;
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        if (System.Array.IndexOf(utf8, (byte)0) >= 0)
            throw new System.ArgumentException($"BTF strings cannot contain NUL: '{s}'", nameof(s));
        _bytes.Write(utf8, 0, utf8.Length);
        _bytes.WriteByte(0);
        _offsets.Add(s, off);
        return off;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
