using System;

namespace CSharpBpf.Compiler.Ir;

/// <summary>Register width: eBPF has 32-bit (w) and 64-bit (r) views of its registers.</summary>
public enum Width
{
    W32 = 32,
    W64 = 64,
}

/// <summary>
/// A typed virtual register. Not SSA: a C# local may live in one VReg assigned at several
/// places; passes treat single-definition registers specially. Pointers are always 64-bit.
/// Signedness is a property of operations (sdiv, ashr, slt), not of registers, as in LLVM.
/// Create them through <see cref="IrFunction.NewReg"/> so ids are unique per function.
/// </summary>
public sealed class VReg
{
    internal VReg(int id, Width width, bool isPointer, string? name)
    {
        if (isPointer && width != Width.W64) throw new ArgumentException("pointers are 64-bit", nameof(width));
        Id = id;
        Width = width;
        IsPointer = isPointer;
        Name = name;
    }

    public int Id { get; }
    public Width Width { get; }
    public bool IsPointer { get; }

    /// <summary>For debugging and the printer only (the C# local's name).</summary>
    public string? Name { get; }

    public bool Is64 => Width == Width.W64;
    public override string ToString() => "%" + Id;
}

/// <summary>An instruction input: a virtual register or a 64-bit immediate.</summary>
public readonly struct Operand : IEquatable<Operand>
{
    private Operand(VReg? reg, long imm)
    {
        Reg = reg;
        Imm = imm;
    }

    public VReg? Reg { get; }
    public long Imm { get; }
    public bool IsImm => Reg is null;
    public bool IsReg => Reg is not null;

    public static Operand Of(VReg reg) => new(reg ?? throw new ArgumentNullException(nameof(reg)), 0);
    public static Operand Const(long value) => new(null, value);
    public static implicit operator Operand(VReg reg) => Of(reg);
    public static implicit operator Operand(long value) => Const(value);

    /// <summary>True when the immediate fits an eBPF imm32 field (sign-extended to 64 bits).</summary>
    public bool FitsImm32 => IsImm && Imm >= int.MinValue && Imm <= int.MaxValue;

    public bool Equals(Operand other) => ReferenceEquals(Reg, other.Reg) && Imm == other.Imm;
    public override bool Equals(object? obj) => obj is Operand o && Equals(o);
    public override int GetHashCode() => Reg?.Id ?? Imm.GetHashCode();
    public override string ToString() => Reg?.ToString() ?? Imm.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
