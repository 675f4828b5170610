namespace CSharpBpf.Object.Btf;

/// <summary>
/// One BTF type. Subclasses exist per kind; references to other types are type ids (uint),
/// exactly as encoded, so forward references and self-referential types need no fix-ups and
/// a <see cref="Btf"/> resolves ids (including those of a base BTF for split BTF).
/// </summary>
public abstract class BtfType : BtfNamedItem
{
    protected BtfType(string? name) : base(name)
    {
    }

    public abstract BtfKind Kind { get; }

    /// <summary>The 1-based type id, assigned when the type is added to a <see cref="Btf"/> (0 = void or not yet added).</summary>
    public uint Id { get; internal set; }

    /// <summary>
    /// The raw kind_flag bit (bit 31 of info). It means: bitfield-encoded member offsets for
    /// STRUCT/UNION, signedness for ENUM/ENUM64, union for FWD, "attribute" for DECL_TAG and
    /// TYPE_TAG. Kind classes expose it under those names; it is kept raw for exact round trips.
    /// </summary>
    public bool KindFlag { get; set; }

    private int _sourceOffset = -1; // int: inputs are byte[] (< 2 GiB); keeps 160k vmlinux types smaller

    /// <summary>Byte offset of this type's record in the input it was read from; -1 when built in memory.</summary>
    public long SourceOffset
    {
        get => _sourceOffset;
        internal set => _sourceOffset = (int)value;
    }

    public override string ToString() => $"[{Id}] {Kind} '{(IsAnonymous ? "(anon)" : Name)}'";
}

/// <summary>Type id 0: void. Never stored in a type section; <see cref="Btf.GetType(uint)"/> returns this for id 0.</summary>
public sealed class BtfVoid : BtfType
{
    public static BtfVoid Instance { get; } = new();

    private BtfVoid() : base("")
    {
    }

    public override BtfKind Kind => BtfKind.Void;
}

/// <summary>INT: an integer of <see cref="Size"/> bytes holding <see cref="Bits"/> bits starting at bit <see cref="Offset"/>.</summary>
public sealed class BtfInt : BtfType
{
    public BtfInt(string name, uint size, BtfIntEncoding encoding, uint bits = 0, byte offset = 0) : base(name)
    {
        Size = size;
        Encoding = encoding;
        Bits = bits == 0 ? size * 8 : bits;
        Offset = offset;
    }

    public override BtfKind Kind => BtfKind.Int;
    public uint Size { get; set; }
    public BtfIntEncoding Encoding { get; set; }
    public byte Offset { get; set; }
    public uint Bits { get; set; }
    public bool IsSigned => (Encoding & BtfIntEncoding.Signed) != 0;
}

/// <summary>FLOAT of <see cref="Size"/> bytes (2, 4, 8, 12 or 16).</summary>
public sealed class BtfFloat : BtfType
{
    public BtfFloat(string name, uint size) : base(name) => Size = size;

    public override BtfKind Kind => BtfKind.Float;
    public uint Size { get; set; }
}

/// <summary>FWD: a forward declaration of a struct or (kind_flag) union.</summary>
public sealed class BtfFwd : BtfType
{
    public BtfFwd(string name, bool isUnion) : base(name) => KindFlag = isUnion;

    public override BtfKind Kind => BtfKind.Fwd;

    public bool IsUnion
    {
        get => KindFlag;
        set => KindFlag = value;
    }
}

/// <summary>ARRAY of <see cref="Length"/> elements (nelems), indexed by <see cref="IndexTypeId"/>.</summary>
public sealed class BtfArray : BtfType
{
    public BtfArray(uint elementTypeId, uint indexTypeId, uint length) : base("")
    {
        ElementTypeId = elementTypeId;
        IndexTypeId = indexTypeId;
        Length = length;
    }

    public override BtfKind Kind => BtfKind.Array;
    public uint ElementTypeId { get; set; }
    public uint IndexTypeId { get; set; }
    public uint Length { get; set; }
}
