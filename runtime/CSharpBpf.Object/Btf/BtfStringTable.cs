using System.Text;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// The string section of a BTF blob as read: NUL-terminated strings addressed by byte offset.
/// For split BTF, offsets below <see cref="StartOffset"/> address the base BTF's strings, as in
/// the kernel. The reader has already checked that the section ends with a NUL, so decoding
/// one string can never run past the end.
/// </summary>
public sealed class BtfStringTable
{
    private readonly byte[] _data;
    private readonly int _start;
    private readonly int _length;
    private readonly BtfStringTable? _base;

    internal BtfStringTable(byte[] data, int start, int length, BtfStringTable? baseTable)
    {
        _data = data;
        _start = start;
        _length = length;
        _base = baseTable;
        StartOffset = baseTable?.TotalLength ?? 0;
    }

    /// <summary>The string offset of this table's first byte (the base's total length for split BTF).</summary>
    public uint StartOffset { get; }

    /// <summary>One past the largest valid offset, base strings included.</summary>
    public uint TotalLength => StartOffset + (uint)_length;

    /// <summary>Length in bytes of this table's own section.</summary>
    public int Length => _length;

    /// <summary>Byte offset of the string section within the input it was read from.</summary>
    internal int FileOffset => _start;

    public bool Contains(uint offset) => offset < TotalLength;

    /// <summary>The string at <paramref name="offset"/>; a <see cref="BpfFormatException"/> when out of range.</summary>
    public string GetString(uint offset)
    {
        if (offset < StartOffset) return _base!.GetString(offset);
        if (offset >= TotalLength)
            throw new BpfFormatException("BTF", _start + _length, $"a string offset below {TotalLength} (string section size), found {offset}");
        int begin = _start + (int)(offset - StartOffset);
        int end = begin;
        while (_data[end] != 0) end++;
        return end == begin ? "" : Encoding.UTF8.GetString(_data, begin, end - begin);
    }
}
