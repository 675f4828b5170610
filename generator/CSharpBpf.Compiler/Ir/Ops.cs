namespace CSharpBpf.Compiler.Ir;

/// <summary>Two-operand arithmetic. Width is the destination register's width. Shifts take
/// the count modulo the width (eBPF masks it, and C# masks it too). Division by zero follows
/// eBPF: x / 0 == 0 and x % 0 == x (see INTERFACES.md, COMPILER/backend).</summary>
public enum BinOp
{
    Add,
    Sub,
    Mul,
    UDiv,
    SDiv,
    URem,
    SRem,
    And,
    Or,
    Xor,
    Shl,
    LShr,
    AShr,
}

public enum UnOp
{
    Neg,
    Not,
    /// <summary>Reverses the bytes of the low 16/32/64 bits and zero-extends the result (eBPF's be16/be32/be64 on
    /// a little-endian target: one BPF_END instruction). ByteSwap64 needs a 64-bit register.</summary>
    ByteSwap16,
    ByteSwap32,
    ByteSwap64,
}

/// <summary>Comparisons for branches and compare-to-register. <see cref="Set"/> is eBPF's jset:
/// true when (left &amp; right) != 0.</summary>
public enum CmpOp
{
    Eq,
    Ne,
    Ult,
    Ule,
    Ugt,
    Uge,
    Slt,
    Sle,
    Sgt,
    Sge,
    Set,
}

/// <summary>Atomic read-modify-write operations (BPF_ATOMIC).</summary>
public enum AtomicRmwOp
{
    Add,
    Or,
    And,
    Xor,
    FetchAdd,
    FetchOr,
    FetchAnd,
    FetchXor,
    Xchg,
    CmpXchg,
}

public static class OpFacts
{
    public static bool IsCommutative(this BinOp op) => op is BinOp.Add or BinOp.Mul or BinOp.And or BinOp.Or or BinOp.Xor;

    public static CmpOp Negate(this CmpOp op) => op switch
    {
        CmpOp.Eq => CmpOp.Ne,
        CmpOp.Ne => CmpOp.Eq,
        CmpOp.Ult => CmpOp.Uge,
        CmpOp.Ule => CmpOp.Ugt,
        CmpOp.Ugt => CmpOp.Ule,
        CmpOp.Uge => CmpOp.Ult,
        CmpOp.Slt => CmpOp.Sge,
        CmpOp.Sle => CmpOp.Sgt,
        CmpOp.Sgt => CmpOp.Sle,
        CmpOp.Sge => CmpOp.Slt,
        _ => throw new System.ArgumentException("jset has no negation", nameof(op)),
    };

    public static bool HasNegation(this CmpOp op) => op != CmpOp.Set;

    /// <summary>The operator that gives the same result with operands swapped.</summary>
    public static CmpOp Swap(this CmpOp op) => op switch
    {
        CmpOp.Ult => CmpOp.Ugt,
        CmpOp.Ule => CmpOp.Uge,
        CmpOp.Ugt => CmpOp.Ult,
        CmpOp.Uge => CmpOp.Ule,
        CmpOp.Slt => CmpOp.Sgt,
        CmpOp.Sle => CmpOp.Sge,
        CmpOp.Sgt => CmpOp.Slt,
        CmpOp.Sge => CmpOp.Sle,
        _ => op,
    };

    public static string Mnemonic(this BinOp op) => op.ToString().ToLowerInvariant();
    public static string Mnemonic(this CmpOp op) => op.ToString().ToLowerInvariant();
}
