using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Register numbers in machine code before allocation: 0..10 are r0..r10; virtual registers are
/// <see cref="VirtualBase"/> + VReg.Id.
/// </summary>
public static class MReg
{
    public const int None = -1;
    public const int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, FP = 10;
    public const int VirtualBase = 16;
    public static int Of(VReg v) => VirtualBase + v.Id;
    public static bool IsVirtual(int r) => r >= VirtualBase;
    public static bool IsPhysical(int r) => r >= 0 && r < VirtualBase;
    public static string Name(int r) => r == None ? "_" : IsVirtual(r) ? "%" + (r - VirtualBase) : "r" + r;
}

/// <summary>What a relocated instruction refers to (resolved by the object emitter).</summary>
public enum RelocKind
{
    /// <summary>ld_imm64 src=1: the map's symbol in .maps.</summary>
    MapFd,
    /// <summary>ld_imm64 src=2: a global variable's symbol in .data/.rodata/.bss.</summary>
    MapValue,
    /// <summary>call src=1: a subprogram or global function.</summary>
    LocalCall,
    /// <summary>call src=2: an extern kfunc (.ksyms).</summary>
    KfuncCall,
    /// <summary>ld_imm64 src=4: address of a function (callback).</summary>
    FuncAddr,
}

public sealed record MReloc(RelocKind Kind, string Symbol, object Target);

/// <summary>
/// One machine instruction with possibly-virtual registers: an eBPF opcode plus operands.
/// LD_IMM64 is a single MInst (two slots when emitted). A conditional jump either targets a
/// block or, with a null <see cref="Target"/>, skips <see cref="Off"/> slots inside the block.
/// </summary>
public sealed class MInst
{
    public byte Opcode;
    public int Dst = MReg.None;
    public int Src = MReg.None;
    public short Off;
    public long Imm;
    public BasicBlock? Target;
    public MReloc? Reloc;
    public CoreAccess? Core;
    public SourceLocation Location;

    /// <summary>For calls: how many argument registers (r1..rN) it reads.</summary>
    public int ArgCount;

    /// <summary>A mov whose dst and src may be merged (a copy); 32-bit copies into a 64-bit value are zero-extensions and are not.</summary>
    public bool IsCopy;

    public InstructionClass Class => (InstructionClass)(Opcode & 7);
    public bool IsLdImm64 => Opcode == 0x18;
    public int Slots => IsLdImm64 ? 2 : 1;
    public bool IsCall => Opcode == 0x85;
    public bool IsExit => Opcode == 0x95;
    public bool IsJa => Opcode == 0x05;
    public bool IsCondJump => Class is InstructionClass.Jmp or InstructionClass.Jmp32 && !IsCall && !IsExit && !IsJa;
    public bool IsAlu => Class is InstructionClass.Alu or InstructionClass.Alu64;
    public AluOp AluOp => (AluOp)(Opcode & 0xf0);
    public bool UsesSrcReg => (Opcode & 0x08) != 0;
    public bool IsAtomic => Class == InstructionClass.Stx && (Opcode & 0xe0) == (byte)MemMode.Atomic;

    private static readonly int[] CallClobbers = { MReg.R0, MReg.R1, MReg.R2, MReg.R3, MReg.R4, MReg.R5 };

    /// <summary>Registers read (before the instruction executes).</summary>
    public IEnumerable<int> Uses()
    {
        if (IsCall)
        {
            for (int i = 1; i <= ArgCount; i++) yield return i;
            yield break;
        }
        if (IsExit) { yield return MReg.R0; yield break; }
        if (IsLdImm64 || IsJa) yield break;
        switch (Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
                if (AluOp != AluOp.Mov) yield return Dst;
                if (UsesSrcReg && AluOp is not (AluOp.Neg or AluOp.End)) yield return Src;
                break;
            case InstructionClass.Ldx:
                yield return Src;
                break;
            case InstructionClass.St:
                yield return Dst;
                break;
            case InstructionClass.Stx:
                yield return Dst;
                yield return Src;
                if (IsAtomic && Imm == (int)AtomicOp.CmpXchg) yield return MReg.R0;
                break;
            case InstructionClass.Jmp:
            case InstructionClass.Jmp32:
                yield return Dst;
                if (UsesSrcReg) yield return Src;
                break;
        }
    }

    /// <summary>Registers written.</summary>
    public IEnumerable<int> Defs()
    {
        if (IsCall) { foreach (var r in CallClobbers) yield return r; yield break; }
        switch (Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
            case InstructionClass.Ldx:
                yield return Dst;
                break;
            case InstructionClass.Ld when IsLdImm64:
                yield return Dst;
                break;
            case InstructionClass.Stx when IsAtomic:
                if (Imm == (int)AtomicOp.CmpXchg) yield return MReg.R0;
                else if ((Imm & 1) != 0) yield return Src; // fetch forms and xchg write the old value to src
                break;
        }
    }

    public MInst Clone() => (MInst)MemberwiseClone();

    public override string ToString() =>
        $"op=0x{Opcode:x2} {MReg.Name(Dst)}, {MReg.Name(Src)} off={Off} imm={Imm}{(Target is null ? "" : " -> " + Target)}{(Reloc is null ? "" : " reloc " + Reloc.Symbol)}";
}

/// <summary>A function in machine form: blocks in layout order, each with its instructions.</summary>
public sealed class MFunction
{
    public MFunction(IrFunction source) => Source = source;
    public IrFunction Source { get; }
    public List<BasicBlock> Layout { get; } = new();
    public Dictionary<BasicBlock, List<MInst>> Code { get; } = new();
    /// <summary>Frame offset (negative, from r10) of each stack slot, spill slots included.</summary>
    public Dictionary<FrameSlot, short> SlotOffsets { get; } = new();
    public int FrameSize { get; set; }
    public int NextVirtual { get; set; }

    public int NewVirtual() => NextVirtual++;
}

internal static class MInstExtensions
{
    /// <summary>Whether Src holds a register number (not a pseudo kind such as ld_imm64's or call's src).</summary>
    public static bool UsesRegisterSrc(this MInst m) => !m.IsLdImm64 && !m.IsCall;
}
