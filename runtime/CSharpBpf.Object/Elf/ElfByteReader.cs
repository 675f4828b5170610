using System;
using System.Text;

namespace CSharpBpf.Object.Elf;

/// <summary>
/// Bounds-checked, endian-aware reads from a byte array. Every read that would leave the buffer
/// throws <see cref="BpfFormatException"/> naming the offset and what was being read.
/// </summary>
internal sealed class ElfByteReader
{
    private readonly byte[] _bytes;

    public ElfByteReader(byte[] bytes, bool bigEndian)
    {
        _bytes = bytes;
        BigEndian = bigEndian;
    }

    public bool BigEndian { get; }
    public byte[] Buffer => _bytes;
    public int Length => _bytes.Length;

    public void Require(ulong offset, ulong count, string what)
    {
        if (offset > (ulong)_bytes.Length || count > (ulong)_bytes.Length - offset)
            throw new BpfFormatException("ELF", (long)Math.Min(offset, long.MaxValue),
                $"{what}: {count} bytes at offset {offset}, but the file has {_bytes.Length} bytes");
    }

    public byte U8(ulong at, string what)
    {
        Require(at, 1, what);
        return _bytes[at];
    }

    public ushort U16(ulong at, string what)
    {
        Require(at, 2, what);
        int i = (int)at;
        return BigEndian ? (ushort)(_bytes[i] << 8 | _bytes[i + 1]) : (ushort)(_bytes[i] | _bytes[i + 1] << 8);
    }

    public uint U32(ulong at, string what)
    {
        Require(at, 4, what);
        int i = (int)at;
        return BigEndian
            ? (uint)(_bytes[i] << 24 | _bytes[i + 1] << 16 | _bytes[i + 2] << 8 | _bytes[i + 3])
            : (uint)(_bytes[i] | _bytes[i + 1] << 8 | _bytes[i + 2] << 16 | _bytes[i + 3] << 24);
    }

    public ulong U64(ulong at, string what)
    {
        Require(at, 8, what);
        ulong a = U32(at, what), b = U32(at + 4, what);
        return BigEndian ? a << 32 | b : b << 32 | a;
    }

    public byte[] Slice(ulong at, ulong count, string what)
    {
        Require(at, count, what);
        var result = new byte[count];
        System.Buffer.BlockCopy(_bytes, (int)at, result, 0, (int)count);
        return result;
    }

    /// <summary>A NUL-terminated string at <paramref name="nameOffset"/> inside a string-table section.</summary>
    public static string StringAt(byte[] table, uint nameOffset, long tableFileOffset, string what)
    {
        if (nameOffset >= (uint)table.Length)
            throw new BpfFormatException("ELF", tableFileOffset + nameOffset,
                $"{what}: a string offset below the string table size {table.Length}, got {nameOffset}");
        int end = Array.IndexOf(table, (byte)0, (int)nameOffset);
        if (end < 0)
            throw new BpfFormatException("ELF", tableFileOffset + nameOffset, $"{what}: a NUL-terminated string inside the string table");
        return Encoding.UTF8.GetString(table, (int)nameOffset, end - (int)nameOffset);
    }
}
