using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Object.Core;

/// <summary>Writes a resolved CO-RE value into the instruction that asked for it.</summary>
public static class CorePatcher
{
    /// <summary>The helper id libbpf uses to poison instructions whose relocation failed ("bad relo").</summary>
    public const int PoisonHelperId = 0xbad2310;

    public static void Apply(IList<Instruction> insns, int index, BtfCoreRelo relo, CoreResult result)
    {
        var insn = insns[index];
        if (result.Poison)
        {
            var call = Insns.CallHelper(PoisonHelperId);
            insns[index] = call;
            if (insn.IsWideLoad && index + 1 < insns.Count) insns[index + 1] = call;
            return;
        }
        if (insn.IsWideLoad)
        {
            insns[index] = insn.WithImm(unchecked((int)result.Value));
            insns[index + 1] = insns[index + 1].WithImm(unchecked((int)(result.Value >> 32)));
            return;
        }
        switch (insn.Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
                if (insn.Source != SourceOperand.K)
                    throw new CoreResolutionException($"CO-RE relocation at instruction {index} targets a register ALU instruction ({result.Description})");
                insns[index] = insn.WithImm(unchecked((int)result.Value));
                return;
            case InstructionClass.Ldx:
            case InstructionClass.St:
            case InstructionClass.Stx:
                if (relo.Kind != BpfCoreReloKind.FieldByteOffset)
                    throw new CoreResolutionException($"CO-RE {relo.Kind} at instruction {index} on a memory access ({result.Description})");
                if (result.Value > (ulong)short.MaxValue)
                    throw new CoreResolutionException($"CO-RE offset {result.Value} of {result.Description} does not fit a 16-bit instruction offset");
                var patched = insn.WithOffset((short)result.Value);
                if (result.TargetFieldSize is 1 or 2 or 4 or 8 && SizeBytes(insn.Size) != result.TargetFieldSize && insn.Class == InstructionClass.Ldx)
                {
                    // The kernel's field is narrower/wider than the local one: load what the kernel has (libbpf does the same).
                    byte op = (byte)((insn.Opcode & ~0x18) | (byte)SizeOf(result.TargetFieldSize));
                    patched = new Instruction(op, patched.Dst, patched.Src, patched.Offset, patched.Imm);
                }
                insns[index] = patched;
                return;
            default:
                throw new CoreResolutionException($"CO-RE relocation at instruction {index} on an instruction that carries no relocatable value (opcode 0x{insn.Opcode:x2}; {result.Description})");
        }
    }

    private static uint SizeBytes(MemSize s) => s switch { MemSize.B => 1, MemSize.H => 2, MemSize.W => 4, _ => 8 };

    private static MemSize SizeOf(uint bytes) => bytes switch { 1 => MemSize.B, 2 => MemSize.H, 4 => MemSize.W, _ => MemSize.DW };
}
