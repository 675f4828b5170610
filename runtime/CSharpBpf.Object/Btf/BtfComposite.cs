using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>A STRUCT or UNION member: offsets are in bits from the start of the enclosing type.</summary>
public sealed class BtfMember : BtfNamedItem
{
    public BtfMember(string name, uint typeId, uint bitOffset, uint bitfieldSize = 0) : base(name)
    {
        TypeId = typeId;
        BitOffset = bitOffset;
        BitfieldSize = bitfieldSize;
    }

    public uint TypeId { get; set; }

    /// <summary>Bit offset of the member (or of the bitfield's first bit) from the start of the struct.</summary>
    public uint BitOffset { get; set; }

    /// <summary>Width in bits of a bitfield member; 0 for an ordinary member.</summary>
    public uint BitfieldSize { get; set; }

    public bool IsBitfield => BitfieldSize != 0;

    /// <summary>Byte offset of the member (the byte holding the first bit, for a bitfield).</summary>
    public uint ByteOffset => BitOffset / 8;

    public override string ToString() => $"'{Name}' type_id={TypeId} bits_offset={BitOffset}" + (IsBitfield ? $" bitfield_size={BitfieldSize}" : "");
}

/// <summary>STRUCT or UNION: <see cref="Size"/> bytes and members.</summary>
public abstract class BtfComposite : BtfType
{
    protected BtfComposite(string? name, uint size) : base(name) => Size = size;

    public uint Size { get; set; }

    public List<BtfMember> Members { get; } = new();

    /// <summary>
    /// kind_flag: member offsets are encoded as bitfield_size &lt;&lt; 24 | bit_offset. The writer
    /// sets it whenever a member is a bitfield, whatever this says.
    /// </summary>
    public bool HasBitfieldEncoding
    {
        get => KindFlag;
        set => KindFlag = value;
    }

    /// <summary>Adds a member (builder API); bitfields switch on <see cref="HasBitfieldEncoding"/>.</summary>
    public BtfMember AddMember(string name, uint typeId, uint bitOffset, uint bitfieldSize = 0)
    {
        var member = new BtfMember(name, typeId, bitOffset, bitfieldSize);
        Members.Add(member);
        if (bitfieldSize != 0) KindFlag = true;
        return member;
    }

    /// <summary>The direct member of that name (anonymous members are not searched: see <see cref="Btf.TryFindMember"/>).</summary>
    public BtfMember? FindMember(string name)
    {
        foreach (var m in Members)
            if (m.Name == name) return m;
        return null;
    }
}

public sealed class BtfStruct : BtfComposite
{
    public BtfStruct(string name, uint size) : base(name, size)
    {
    }

    public override BtfKind Kind => BtfKind.Struct;
}

public sealed class BtfUnion : BtfComposite
{
    public BtfUnion(string name, uint size) : base(name, size)
    {
    }

    public override BtfKind Kind => BtfKind.Union;
}
