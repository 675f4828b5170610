using System;

namespace CSharpBpf.Object.Elf;

/// <summary>One .symtab entry.</summary>
public sealed class ElfSymbol
{
    public ElfSymbol(int index, string name, uint nameOffset, ulong value, ulong size,
        ElfSymbolType type, ElfSymbolBinding binding, ElfSymbolVisibility visibility, ushort sectionIndex)
    {
        Index = index;
        Name = name ?? throw new ArgumentNullException(nameof(name));
        NameOffset = nameOffset;
        Value = value;
        Size = size;
        Type = type;
        Binding = binding;
        Visibility = visibility;
        SectionIndex = sectionIndex;
    }

    public int Index { get; }
    public string Name { get; }
    public uint NameOffset { get; }
    /// <summary>st_value: in a relocatable object, the byte offset within the symbol's section.</summary>
    public ulong Value { get; }
    public ulong Size { get; }
    public ElfSymbolType Type { get; }
    public ElfSymbolBinding Binding { get; }
    public ElfSymbolVisibility Visibility { get; }
    /// <summary>st_shndx: the defining section, or 0 (undefined: an extern), 0xfff1 (absolute), 0xfff2 (common).</summary>
    public ushort SectionIndex { get; }

    public bool IsUndefined => SectionIndex == ElfConstants.SectionUndefined;
    public bool IsSpecialSection => SectionIndex >= ElfConstants.SectionLoReserve;

    /// <summary>st_info as stored: binding in the high nibble, type in the low.</summary>
    public byte InfoByte => (byte)((byte)Binding << 4 | (byte)Type);

    public override string ToString() => $"#{Index} {Name} {Type} {Binding} shndx={SectionIndex} value=0x{Value:x} size={Size}";
}
