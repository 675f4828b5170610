using System;

namespace CSharpBpf.Object.Btf;

/// <summary>BTF_KIND_* from include/uapi/linux/btf.h (bits 24-28 of btf_type.info).</summary>
public enum BtfKind : byte
{
    /// <summary>Kind 0: only type id 0 (void) has it; never encoded in a type section.</summary>
    Void = 0,
    Int = 1,
    Ptr = 2,
    Array = 3,
    Struct = 4,
    Union = 5,
    Enum = 6,
    Fwd = 7,
    Typedef = 8,
    Volatile = 9,
    Const = 10,
    Restrict = 11,
    Func = 12,
    FuncProto = 13,
    Var = 14,
    Datasec = 15,
    Float = 16,
    DeclTag = 17,
    TypeTag = 18,
    Enum64 = 19,
}

/// <summary>BTF_INT_* encoding bits of an INT (bits 24-27 of its extra word).</summary>
[Flags]
public enum BtfIntEncoding : byte
{
    None = 0,
    Signed = 1,
    Char = 2,
    Bool = 4,
}

/// <summary>enum btf_func_linkage, stored in a FUNC's vlen field.</summary>
public enum BtfFuncLinkage : ushort
{
    Static = 0,
    Global = 1,
    Extern = 2,
}

/// <summary>BTF_VAR_* linkage of a VAR.</summary>
public enum BtfVarLinkage : uint
{
    Static = 0,
    GlobalAllocated = 1,
    GlobalExtern = 2,
}
