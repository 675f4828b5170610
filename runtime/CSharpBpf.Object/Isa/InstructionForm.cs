using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Isa;

/// <summary>Instruction fields a form's template can show, fix, or (llvm-only forms) ignore.</summary>
[Flags]
internal enum InsnField
{
    None = 0,
    Dst = 1,
    Src = 2,
    Offset = 4,
    Imm = 8,
    /// <summary>The imm of the second slot of a 64-bit immediate load.</summary>
    Imm2 = 16,
}

/// <summary>Which syntaxes a form belongs to (see <see cref="AsmSyntax"/>).</summary>
internal enum FormSyntax
{
    Both,
    LlvmOnly,
    LosslessOnly,
    /// <summary>Accepted by the assembler, never printed: spellings llvm's assembler also takes (r0 for a 32-bit load).</summary>
    InputOnly,
}

/// <summary>
/// One textual form of one opcode: a template such as <c>"$rd += $imm"</c> plus the values the fields
/// the template does not show must have. The same record drives decoding (which form fits these
/// bits?), printing (substitute the placeholders) and assembling (match the template's tokens), so
/// the disassembler and the assembler cannot drift apart.
///
/// Placeholders: <c>$rd $wd $rs $ws</c> registers (r/w spelling of dst/src); <c>$imm</c> signed hex imm;
/// <c>$uimm</c> unsigned hex imm; <c>$imm64</c> the 64-bit immediate of both slots; <c>$imm2</c> the second slot's imm; <c>$tgt</c> jump
/// offset "+0x3"; <c>$ctgt</c> imm as a jump offset "+0x3"; <c>$moff</c> memory offset "+ 0x4";
/// <c>$mimm</c> imm as "+ 0x4"; <c>$offn</c> offset as a plain signed number; <c>$psrc</c> src as a number
/// (pseudo source kind); <c>$ashi</c>/<c>$aslo</c> the 16-bit halves of imm; <c>$label</c> (input only) a
/// label name whose slot offset goes in imm.
/// Every field not shown must equal its fixed value (0 unless given), except the llvm-only
/// <see cref="Ignored"/> fields that llvm's text silently drops.
/// </summary>
internal sealed class InstructionForm
{
    public InstructionForm(byte opcode, string template, FormSyntax syntax = FormSyntax.Both,
        short? src = null, short? offset = null, int? imm = null, InsnField ignored = InsnField.None)
    {
        Opcode = opcode;
        Template = template;
        Syntax = syntax;
        FixedSrc = (byte)(src ?? 0);
        FixedOffset = offset ?? 0;
        FixedImm = imm ?? 0;
        Ignored = ignored;
        Tokens = AsmTokenizer.Tokenize(template, 0, template.Length, allowPlaceholders: true);
        foreach (var t in Tokens)
            if (t.Kind == AsmTokenKind.Placeholder)
                Shown |= FieldOf(t.Text);
        IsWide = opcode == Insns.WideLoadOpcode;
        IsBranch = template.Contains("$tgt") || template.StartsWith("gotol", StringComparison.Ordinal);
    }

    public byte Opcode { get; }
    public string Template { get; }
    public FormSyntax Syntax { get; }
    public byte FixedSrc { get; }
    public short FixedOffset { get; }
    public int FixedImm { get; }
    public InsnField Ignored { get; }
    public InsnField Shown { get; }
    public IReadOnlyList<AsmToken> Tokens { get; }
    public bool IsWide { get; }

    /// <summary>A jump whose target llvm-objdump annotates with <c>&lt;symbol+off&gt;</c> (not calls).</summary>
    public bool IsBranch { get; }

    /// <summary>Whether the printer may use this form for <paramref name="syntax"/>.</summary>
    public bool InSyntax(AsmSyntax syntax) => Syntax switch
    {
        FormSyntax.Both => true,
        FormSyntax.LlvmOnly => syntax == AsmSyntax.Llvm,
        FormSyntax.LosslessOnly => syntax == AsmSyntax.Lossless,
        _ => false,
    };

    /// <summary>Whether the assembler reads this form (everything but llvm's lossy spellings).</summary>
    public bool IsInput => Syntax != FormSyntax.LlvmOnly;

    /// <summary>Whether this form describes these bits exactly (registers in range, hidden fields fixed).</summary>
    public bool Fits(Instruction insn, int imm2)
    {
        if (!Has(InsnField.Dst) && !Ignores(InsnField.Dst) && insn.Dst != 0) return false;
        if (Has(InsnField.Dst) && insn.Dst > 10) return false;
        if (Has(InsnField.Src))
        {
            if (insn.Src > 10) return false;
            if (HasPseudoSource && (insn.Src < 1 || insn.Src > 6)) return false;
        }
        else if (!Ignores(InsnField.Src) && insn.Src != FixedSrc) return false;
        if (!Has(InsnField.Offset) && !Ignores(InsnField.Offset) && insn.Offset != FixedOffset) return false;
        if (!Has(InsnField.Imm) && !Ignores(InsnField.Imm) && insn.Imm != FixedImm) return false;
        if (IsWide && !Has(InsnField.Imm2) && !Ignores(InsnField.Imm2) && imm2 != 0) return false;
        return true;
    }

    bool HasPseudoSource => Template.Contains("$psrc");
    bool Has(InsnField f) => (Shown & f) != 0;
    bool Ignores(InsnField f) => (Ignored & f) != 0;

    internal static InsnField FieldOf(string placeholder) => placeholder switch
    {
        "$rd" or "$wd" => InsnField.Dst,
        "$rs" or "$ws" or "$psrc" => InsnField.Src,
        "$tgt" or "$moff" or "$offn" => InsnField.Offset,
        "$imm" or "$uimm" or "$ctgt" or "$label" or "$mimm" or "$ashi" or "$aslo" => InsnField.Imm,
        "$imm64" => InsnField.Imm | InsnField.Imm2,
        "$imm2" => InsnField.Imm2,
        _ => throw new InvalidOperationException($"unknown template placeholder {placeholder}"),
    };

    /// <summary>The template for people: <c>rD = *(u64 *)(rS + OFF)</c> rather than placeholders.</summary>
    public string Display =>
        System.Text.RegularExpressions.Regex.Replace(Template.Replace('\t', ' '), @"\$[a-z0-9]+", m => Describe(m.Value));

    static string Describe(string placeholder) => placeholder switch
    {
        "$rd" => "rD", "$wd" => "wD", "$rs" => "rS", "$ws" => "wS",
        "$imm" or "$uimm" => "IMM", "$imm64" => "IMM64", "$imm2" => "IMM2",
        "$tgt" or "$ctgt" => "+OFF", "$moff" or "$mimm" => "+ OFF", "$offn" => "N", "$psrc" => "KIND",
        "$ashi" or "$aslo" => "AS", "$label" => "LABEL",
        _ => placeholder,
    };

    public override string ToString() => $"0x{Opcode:x2} {Template}";
}
