using System;

namespace CSharpBpf.Object.Elf;

/// <summary>
/// One section: its header fields and its bytes. <see cref="Data"/> is authoritative when the
/// file is written back; <see cref="FileOffset"/> only records where the reader found it
/// (the writer lays sections out afresh).
/// </summary>
public sealed class ElfSection
{
    public ElfSection(int index, string name, uint nameOffset, ElfSectionType type, ElfSectionFlags flags,
        ulong address, ulong fileOffset, ulong size, uint link, uint info, ulong alignment, ulong entrySize, byte[] data, long headerOffset = -1)
        : this(index, name, nameOffset, type, flags, address, fileOffset, size, link, info, alignment, entrySize, headerOffset)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        if (type != ElfSectionType.NoBits && type != ElfSectionType.Null && (ulong)data.LongLength != size)
            throw new ArgumentException($"section {name}: data length {data.Length} differs from size {size}", nameof(data));
    }

    /// <summary>The reader's constructor: the bytes stay in the file buffer until first asked for,
    /// so DWARF and other sections nobody reads cost no copy (the buffer must not change).
    /// The caller has checked that [fileOffset, fileOffset + size) lies inside <paramref name="source"/>.</summary>
    internal ElfSection(int index, string name, uint nameOffset, ElfSectionType type, ElfSectionFlags flags,
        ulong address, ulong fileOffset, ulong size, uint link, uint info, ulong alignment, ulong entrySize,
        byte[] source, bool hasFileBytes, long headerOffset)
        : this(index, name, nameOffset, type, flags, address, fileOffset, size, link, info, alignment, entrySize, headerOffset)
    {
        if (hasFileBytes && size > 0) _source = source;
        else _data = Array.Empty<byte>();
    }

    private ElfSection(int index, string name, uint nameOffset, ElfSectionType type, ElfSectionFlags flags,
        ulong address, ulong fileOffset, ulong size, uint link, uint info, ulong alignment, ulong entrySize, long headerOffset)
    {
        HeaderOffset = headerOffset;
        Index = index;
        Name = name ?? throw new ArgumentNullException(nameof(name));
        NameOffset = nameOffset;
        Type = type;
        Flags = flags;
        Address = address;
        FileOffset = fileOffset;
        Size = size;
        Link = link;
        Info = info;
        Alignment = alignment;
        EntrySize = entrySize;
    }

    private byte[]? _data;
    private readonly byte[]? _source;

    public int Index { get; }
    /// <summary>Where the reader found this section's header in the file (-1 for a built section).</summary>
    public long HeaderOffset { get; }
    public string Name { get; }
    /// <summary>sh_name: offset of the name in the section-header string table.</summary>
    public uint NameOffset { get; }
    public ElfSectionType Type { get; }
    public ElfSectionFlags Flags { get; }
    public ulong Address { get; }
    public ulong FileOffset { get; }
    /// <summary>sh_size; for NOBITS sections (.bss) the size in memory, with no bytes in the file.</summary>
    public ulong Size { get; }
    public uint Link { get; }
    public uint Info { get; }
    public ulong Alignment { get; }
    public ulong EntrySize { get; }
    /// <summary>The section's bytes (empty for NULL and NOBITS sections).</summary>
    public byte[] Data => _data ??= Slice();

    private byte[] Slice()
    {
        var copy = new byte[Size];
        Buffer.BlockCopy(_source!, (int)FileOffset, copy, 0, copy.Length);
        return copy;
    }

    public bool IsExecutable => (Flags & ElfSectionFlags.ExecInstr) != 0;
    public bool IsAllocated => (Flags & ElfSectionFlags.Alloc) != 0;
    public bool IsWritable => (Flags & ElfSectionFlags.Write) != 0;

    public override string ToString() => $"[{Index}] {Name} {Type} size={Size}";
}
