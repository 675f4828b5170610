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
    private byte[] _scratch = new byte[256];

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
        // One reused scratch buffer: vmlinux has ~100k distinct strings, no need for an array each.
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (_scratch.Length < max) _scratch = new byte[System.Math.Max(max, 2 * _scratch.Length)];
        int n = Encoding.UTF8.GetBytes(s, 0, s.Length, _scratch, 0);
        if (System.Array.IndexOf(_scratch, (byte)0, 0, n) >= 0)
            throw new System.ArgumentException($"BTF strings cannot contain NUL: '{s}'", nameof(s));
        _bytes.Write(_scratch, 0, n);
        _bytes.WriteByte(0);
        _offsets.Add(s, off);
        return off;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
