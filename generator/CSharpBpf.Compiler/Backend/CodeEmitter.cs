using System;
using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Allocated machine code → instruction slots: resolves block jumps to slot offsets, expands
/// ld_imm64 to its two slots, and records relocations, line_info and CO-RE entries by slot.
/// </summary>
public static class CodeEmitter
{
    public static CompiledFunction Emit(MFunction mf)
    {
        // Drop jumps to the block that follows anyway (blocks may have emptied during allocation).
        var blockSlot = new Dictionary<BasicBlock, int>();
        int slot = 0;
        foreach (var b in mf.Layout)
        {
            blockSlot[b] = slot;
            foreach (var m in mf.Code[b]) slot += m.Slots;
        }

        var code = new List<Instruction>(slot);
        var relocs = new List<InstructionReloc>();
        var lines = new List<LineEntry>();
        var core = new List<CoreEntry>();
        SourceLocation last = SourceLocation.None;
        bool first = true;
        foreach (var b in mf.Layout)
        {
            foreach (var m in mf.Code[b])
            {
                int at = code.Count;
                if (first || (!m.Location.IsNone && m.Location != last))
                {
                    var loc = m.Location.IsNone ? mf.Source.Location : m.Location;
                    if (!loc.IsNone) lines.Add(new LineEntry(at, loc));
                    last = loc;
                    first = false;
                }
                if (m.Reloc is not null) relocs.Add(new InstructionReloc(at, m.Reloc));
                if (m.Core is not null) core.Add(new CoreEntry(at, m.Core));
                int off = m.Off;
                if (m.Target is not null)
                {
                    off = blockSlot[m.Target] - (at + 1);
                    if (off < short.MinValue || off > short.MaxValue)
                        throw new BackendException("function too large: a jump exceeds the 16-bit offset", m.Location, mf.Source.Name);
                }
                byte dst = Phys(m.Dst, m, mf);
                if (m.IsLdImm64)
                {
                    code.Add(new Instruction(m.Opcode, dst, (byte)Math.Max(0, m.Src), 0, unchecked((int)m.Imm)));
                    code.Add(new Instruction(0, 0, 0, 0, unchecked((int)(m.Imm >> 32))));
                    continue;
                }
                byte src = m.UsesRegisterSrc() ? Phys(m.Src, m, mf) : (byte)Math.Max(0, m.Src);
                code.Add(new Instruction(m.Opcode, dst, src, (short)off, unchecked((int)m.Imm)));
            }
        }
        return new CompiledFunction(mf.Source, code.ToArray(), relocs, lines, core, mf.FrameSize);
    }

    private static byte Phys(int r, MInst m, MFunction mf)
    {
        if (r == MReg.None) return 0;
        if (!MReg.IsPhysical(r)) throw new BackendException($"internal: unallocated register {MReg.Name(r)} in {m}", m.Location, mf.Source.Name);
        return (byte)r;
    }
}
