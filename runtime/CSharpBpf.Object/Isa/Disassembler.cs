using System;
using System.Collections.Generic;
using System.Text;

namespace CSharpBpf.Object.Isa;

/// <summary>One decoded instruction: where it is, how many slots it takes, its text and jump target.</summary>
public sealed class DisassembledInstruction
{
    public DisassembledInstruction(int index, int slotCount, string text, long? branchTarget)
    {
        Index = index;
        SlotCount = slotCount;
        Text = text;
        BranchTarget = branchTarget;
    }

    /// <summary>Slot index of the (first slot of the) instruction.</summary>
    public int Index { get; }

    /// <summary>1, or 2 for a 64-bit immediate load.</summary>
    public int SlotCount { get; }

    /// <summary>The instruction in llvm-objdump syntax, without address or branch-target annotation.</summary>
    public string Text { get; }

    /// <summary>
    /// For jumps (goto, gotol, may_goto, conditional jumps; not calls): the slot index jumped to,
    /// <c>Index + 1 + offset</c>; may lie outside the program for malformed code.
    /// </summary>
    public long? BranchTarget { get; }

    public override string ToString() => Text;
}

/// <summary>
/// Instruction slots to llvm-objdump-22 text. Every slot is checked the way the kernel checks the
/// format (known opcode, registers r0-r10, reserved fields zero, a 64-bit load's second slot
/// present and empty); anything else raises <see cref="BpfFormatException"/> naming the byte offset.
/// </summary>
public static class Disassembler
{
    public const string Format = "instructions";

    /// <summary>Decodes the whole program, instruction by instruction.</summary>
    /// <param name="baseOffset">Byte offset of slot 0 in the enclosing input, used in error messages.</param>
    public static IReadOnlyList<DisassembledInstruction> Disassemble(IReadOnlyList<Instruction> program,
        AsmSyntax syntax = AsmSyntax.Lossless, long baseOffset = 0)
    {
        if (program is null) throw new ArgumentNullException(nameof(program));
        var result = new List<DisassembledInstruction>(program.Count);
        for (int i = 0; i < program.Count;)
        {
            var d = Decode(program, i, syntax, baseOffset);
            result.Add(d);
            i += d.SlotCount;
        }
        return result;
    }

    /// <summary>The program as text, one instruction per line, that <see cref="Assembler.Assemble"/> reads back.</summary>
    public static string ToText(IReadOnlyList<Instruction> program, AsmSyntax syntax = AsmSyntax.Lossless)
    {
        var sb = new StringBuilder();
        foreach (var d in Disassemble(program, syntax))
            sb.Append(d.Text).Append('\n');
        return sb.ToString();
    }

    /// <summary>Decodes the instruction starting at slot <paramref name="index"/>.</summary>
    public static DisassembledInstruction Decode(IReadOnlyList<Instruction> program, int index,
        AsmSyntax syntax = AsmSyntax.Lossless, long baseOffset = 0)
    {
        var (form, imm2) = FindForm(program, index, syntax, baseOffset);
        var insn = program[index];
        long? target = null;
        if (form.IsBranch)
            target = index + 1L + (form.Opcode == ((byte)InstructionClass.Jmp32 | (byte)JmpOp.Ja) ? insn.Imm : insn.Offset);
        return new DisassembledInstruction(index, form.IsWide ? 2 : 1, Render(form, insn, imm2), target);
    }

    /// <summary>The form describing the instruction at <paramref name="index"/> (and the second slot's imm).</summary>
    internal static (InstructionForm Form, int Imm2) FindForm(IReadOnlyList<Instruction> program, int index,
        AsmSyntax syntax, long baseOffset = 0)
    {
        if (program is null) throw new ArgumentNullException(nameof(program));
        if (index < 0 || index >= program.Count) throw new ArgumentOutOfRangeException(nameof(index));
        var insn = program[index];
        long at = baseOffset + (long)index * InstructionCodec.SlotSize;
        int imm2 = 0;
        if (insn.Opcode == Insns.WideLoadOpcode)
        {
            if (index + 1 >= program.Count)
                throw new BpfFormatException(Format, at, "a second slot after the 64-bit immediate load (the program ends here)");
            var next = program[index + 1];
            if (next.Opcode != 0 || next.Dst != 0 || next.Src != 0 || next.Offset != 0)
                throw new BpfFormatException(Format, at + InstructionCodec.SlotSize,
                    $"the second slot of a 64-bit immediate load (opcode, registers and offset 0); found {next}");
            imm2 = next.Imm;
        }

        var forms = InstructionForms.ForOpcode(insn.Opcode);
        if (forms.Count == 0)
            throw new BpfFormatException(Format, at, $"a known eBPF opcode; 0x{insn.Opcode:x2} is not one (slot {index}: {insn})");
        foreach (var form in forms)
            if (form.InSyntax(syntax) && form.Fits(insn, imm2))
                return (form, imm2);
        throw new BpfFormatException(Format, at,
            $"a valid encoding of opcode 0x{insn.Opcode:x2} (such as `{forms[0].Display}`: registers r0-r10, unused fields 0); found {insn}");
    }

    /// <summary>Text of a single-slot instruction (not the first half of a 64-bit load).</summary>
    public static string FormatInstruction(Instruction insn, AsmSyntax syntax = AsmSyntax.Lossless) =>
        Decode(new[] { insn }, 0, syntax).Text;

    static string Render(InstructionForm form, Instruction insn, int imm2)
    {
        string t = form.Template;
        var sb = new StringBuilder(t.Length + 16);
        for (int i = 0; i < t.Length;)
        {
            if (t[i] != '$') { sb.Append(t[i++]); continue; }
            int start = i++;
            while (i < t.Length && char.IsLetterOrDigit(t[i])) i++;
            sb.Append(Placeholder(t.Substring(start, i - start), insn, imm2));
        }
        return sb.ToString();
    }

    static string Placeholder(string name, Instruction insn, int imm2) => name switch
    {
        "$rd" => "r" + insn.Dst,
        "$wd" => "w" + insn.Dst,
        "$rs" => "r" + insn.Src,
        "$ws" => "w" + insn.Src,
        "$imm" => AsmNumber.SignedHex(insn.Imm),
        "$uimm" => AsmNumber.UnsignedHex((uint)insn.Imm),
        "$imm2" => AsmNumber.UnsignedHex((uint)imm2),
        "$imm64" => AsmNumber.SignedHex((long)imm2 << 32 | (uint)insn.Imm),
        "$tgt" => AsmNumber.Displacement(insn.Offset),
        "$ctgt" => AsmNumber.Displacement(insn.Imm),
        "$moff" => AsmNumber.SpacedDisplacement(insn.Offset),
        "$mimm" => AsmNumber.SpacedDisplacement(insn.Imm),
        "$offn" => AsmNumber.SignedHex(insn.Offset),
        "$psrc" => AsmNumber.UnsignedHex(insn.Src),
        "$ashi" => AsmNumber.UnsignedHex((uint)insn.Imm >> 16),
        "$aslo" => AsmNumber.UnsignedHex((uint)insn.Imm & 0xffff),
        _ => throw new InvalidOperationException($"unknown template placeholder {name}"),
    };
}
