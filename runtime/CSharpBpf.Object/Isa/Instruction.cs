using System;

namespace CSharpBpf.Object.Isa;

/// <summary>
/// One 8-byte instruction slot, exactly as encoded (RFC 9669 §3). A 64-bit immediate load
/// occupies two slots: the first carries the opcode and the low 32 bits, the second has
/// opcode 0 and carries the high 32 bits in <see cref="Imm"/>. Programs are arrays of slots,
/// so jump offsets and instruction indices mean what they mean to the kernel.
/// </summary>
public readonly struct Instruction : IEquatable<Instruction>
{
    public Instruction(byte opcode, byte dst, byte src, short offset, int imm)
    {
        if (dst > 15) throw new ArgumentOutOfRangeException(nameof(dst), dst, "register numbers are 4 bits");
        if (src > 15) throw new ArgumentOutOfRangeException(nameof(src), src, "register numbers are 4 bits");
        Opcode = opcode;
        Dst = dst;
        Src = src;
        Offset = offset;
        Imm = imm;
    }

    public byte Opcode { get; }
    public byte Dst { get; }
    public byte Src { get; }
    public short Offset { get; }
    public int Imm { get; }

    public InstructionClass Class => (InstructionClass)(Opcode & 0x07);
    public SourceOperand Source => (SourceOperand)(Opcode & 0x08);
    public AluOp AluOp => (AluOp)(Opcode & 0xf0);
    public JmpOp JmpOp => (JmpOp)(Opcode & 0xf0);
    public MemSize Size => (MemSize)(Opcode & 0x18);
    public MemMode Mode => (MemMode)(Opcode & 0xe0);

    public bool IsAlu => Class is InstructionClass.Alu or InstructionClass.Alu64;
    public bool IsJump => Class is InstructionClass.Jmp or InstructionClass.Jmp32;

    /// <summary>The first slot of a 64-bit immediate load (opcode 0x18).</summary>
    public bool IsWideLoad => Opcode == ((byte)InstructionClass.Ld | (byte)MemSize.DW | (byte)MemMode.Imm);
    public bool IsExit => Opcode == ((byte)InstructionClass.Jmp | (byte)JmpOp.Exit);
    public bool IsCall => Opcode == ((byte)InstructionClass.Jmp | (byte)JmpOp.Call) ||
                          Opcode == ((byte)InstructionClass.Jmp | (byte)JmpOp.Call | (byte)SourceOperand.X);

    public Instruction WithImm(int imm) => new(Opcode, Dst, Src, Offset, imm);
    public Instruction WithOffset(short offset) => new(Opcode, Dst, Src, offset, Imm);
    public Instruction WithSrc(byte src) => new(Opcode, Dst, src, Offset, Imm);

    public bool Equals(Instruction other) =>
        Opcode == other.Opcode && Dst == other.Dst && Src == other.Src && Offset == other.Offset && Imm == other.Imm;

    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);
    public override int GetHashCode() => (Opcode | Dst << 8 | Src << 12 | Offset << 16) ^ Imm * 31;
    public static bool operator ==(Instruction a, Instruction b) => a.Equals(b);
    public static bool operator !=(Instruction a, Instruction b) => !a.Equals(b);

    public override string ToString() =>
        $"{{op=0x{Opcode:x2} dst=r{Dst} src=r{Src} off={Offset} imm={Imm}}}";
}
