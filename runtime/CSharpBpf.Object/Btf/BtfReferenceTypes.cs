namespace CSharpBpf.Object.Btf;

/// <summary>The kinds whose only payload is one referenced type id (btf_type.type).</summary>
public abstract class BtfReferenceType : BtfType
{
    protected BtfReferenceType(string? name, uint typeId) : base(name) => TypeId = typeId;

    /// <summary>The referenced type (0 = void).</summary>
    public uint TypeId { get; set; }
}

public sealed class BtfPtr : BtfReferenceType
{
    public BtfPtr(uint typeId) : base("", typeId)
    {
    }

    public override BtfKind Kind => BtfKind.Ptr;
}

public sealed class BtfTypedef : BtfReferenceType
{
    public BtfTypedef(string name, uint typeId) : base(name, typeId)
    {
    }

    public override BtfKind Kind => BtfKind.Typedef;
}

public sealed class BtfVolatile : BtfReferenceType
{
    public BtfVolatile(uint typeId) : base("", typeId)
    {
    }

    public override BtfKind Kind => BtfKind.Volatile;
}

public sealed class BtfConst : BtfReferenceType
{
    public BtfConst(uint typeId) : base("", typeId)
    {
    }

    public override BtfKind Kind => BtfKind.Const;
}

public sealed class BtfRestrict : BtfReferenceType
{
    public BtfRestrict(uint typeId) : base("", typeId)
    {
    }

    public override BtfKind Kind => BtfKind.Restrict;
}

/// <summary>TYPE_TAG: a named tag on a pointee type (e.g. __user, __rcu); kind_flag marks an __attribute__ tag.</summary>
public sealed class BtfTypeTag : BtfReferenceType
{
    public BtfTypeTag(string name, uint typeId, bool isAttribute = false) : base(name, typeId) => KindFlag = isAttribute;

    public override BtfKind Kind => BtfKind.TypeTag;

    public bool IsAttribute
    {
        get => KindFlag;
        set => KindFlag = value;
    }
}

/// <summary>FUNC: a function named <see cref="BtfNamedItem.Name"/> whose <see cref="BtfReferenceType.TypeId"/> is its FUNC_PROTO.</summary>
public sealed class BtfFunc : BtfReferenceType
{
    public BtfFunc(string name, uint protoTypeId, BtfFuncLinkage linkage) : base(name, protoTypeId) => Linkage = linkage;

    public override BtfKind Kind => BtfKind.Func;
    public BtfFuncLinkage Linkage { get; set; }
}

/// <summary>VAR: a variable of <see cref="BtfReferenceType.TypeId"/>, placed by a DATASEC.</summary>
public sealed class BtfVar : BtfReferenceType
{
    public BtfVar(string name, uint typeId, BtfVarLinkage linkage) : base(name, typeId) => Linkage = linkage;

    public override BtfKind Kind => BtfKind.Var;
    public BtfVarLinkage Linkage { get; set; }
}

/// <summary>
/// DECL_TAG: a tag on a declaration: the type itself (<see cref="ComponentIndex"/> = -1), or its
/// member / parameter number <see cref="ComponentIndex"/>. kind_flag marks an __attribute__ tag.
/// </summary>
public sealed class BtfDeclTag : BtfReferenceType
{
    public BtfDeclTag(string name, uint typeId, int componentIndex, bool isAttribute = false) : base(name, typeId)
    {
        ComponentIndex = componentIndex;
        KindFlag = isAttribute;
    }

    public override BtfKind Kind => BtfKind.DeclTag;
    public int ComponentIndex { get; set; }

    public bool IsAttribute
    {
        get => KindFlag;
        set => KindFlag = value;
    }
}
