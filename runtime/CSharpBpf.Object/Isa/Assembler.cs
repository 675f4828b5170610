using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace CSharpBpf.Object.Isa;

/// <summary>
/// Text in llvm-objdump's BPF syntax (and the <see cref="AsmSyntax.Lossless"/> extensions) to
/// instruction slots: the inverse of <see cref="Disassembler"/>, built from the same form table.
///
/// A line holds one instruction; whitespace is free; numbers are hex (<c>0x1f</c>) or decimal.
/// Also accepted, so that disassembler output and hand-written code both read back:
/// a leading slot index (<c>12:</c>, ignored), a trailing branch annotation (<c>&lt;LBB0_2&gt;</c>,
/// ignored: the offset is what counts), comments after <c>#</c>, <c>;</c> or <c>//</c>, label
/// definitions (<c>loop:</c> or objdump's <c>0000000000000000 &lt;prog&gt;:</c>), and label names as jump
/// targets (<c>goto loop</c>, <c>if r1 &gt; 0x5 goto out</c>, <c>gotol out</c>, and <c>call sub</c> for a
/// bpf-to-bpf call).
/// Errors raise <see cref="BpfFormatException"/> (format "assembly") naming line, column and the
/// character offset.
/// </summary>
public static class Assembler
{
    public const string Format = "assembly";

    static readonly Regex IndexPrefix = new(@"^\s*\d+:", RegexOptions.CultureInvariant);
    static readonly Regex ObjdumpLabel = new(@"^\s*(?:[0-9a-fA-F]+\s+)?<([^<>\s]+)>:\s*$", RegexOptions.CultureInvariant);
    static readonly Regex PlainLabel = new(@"^\s*([A-Za-z_.][A-Za-z0-9_.]*)\s*:", RegexOptions.CultureInvariant);
    static readonly Regex TrailingAnnotation = new(@"\s<[^<>]*>\s*$", RegexOptions.CultureInvariant);

    // Input forms keyed by their first two tokens ("if" then "r#", "r#" then "+=", "lock" then "*";
    // "r#"/"w#" for a register placeholder, "#" for any other placeholder, "" for nothing), so a
    // line is tried against a handful of forms rather than all of them.
    static readonly Dictionary<string, Dictionary<string, List<InstructionForm>>> FormsByLead = IndexForms();

    static Dictionary<string, Dictionary<string, List<InstructionForm>>> IndexForms()
    {
        var map = new Dictionary<string, Dictionary<string, List<InstructionForm>>>(StringComparer.Ordinal);
        foreach (var f in InstructionForms.All)
        {
            if (!f.IsInput) continue;
            string k1 = TemplateKey(f.Tokens[0]), k2 = f.Tokens.Count > 1 ? TemplateKey(f.Tokens[1]) : "";
            if (!map.TryGetValue(k1, out var inner)) map[k1] = inner = new Dictionary<string, List<InstructionForm>>(StringComparer.Ordinal);
            if (!inner.TryGetValue(k2, out var list)) inner[k2] = list = new List<InstructionForm>();
            list.Add(f);
        }
        return map;
    }

    static string TemplateKey(AsmToken t) =>
        t.Kind != AsmTokenKind.Placeholder ? t.Text
        : t.Text is "$rd" or "$rs" ? "r#"
        : t.Text is "$wd" or "$ws" ? "w#"
        : "#";

    static bool IsRegisterName(string s)
    {
        if (s.Length < 2 || (s[0] != 'r' && s[0] != 'w')) return false;
        for (int i = 1; i < s.Length; i++)
            if (s[i] < '0' || s[i] > '9') return false;
        return true;
    }

    /// <summary>Fills <paramref name="into"/> with the forms whose first two tokens could have produced these.</summary>
    static void Candidates(List<AsmToken> tokens, List<InstructionForm> into)
    {
        into.Clear();
        AddFor(tokens[0].Text, tokens, into);
        if (tokens[0].Kind == AsmTokenKind.Identifier && IsRegisterName(tokens[0].Text)) AddFor(tokens[0].Text[0] == 'r' ? "r#" : "w#", tokens, into);
        AddFor("#", tokens, into);
    }

    static void AddFor(string k1, List<AsmToken> tokens, List<InstructionForm> into)
    {
        if (!FormsByLead.TryGetValue(k1, out var inner)) return;
        if (tokens.Count == 1)
        {
            if (inner.TryGetValue("", out var single)) into.AddRange(single);
            return;
        }
        var second = tokens[1];
        if (inner.TryGetValue(second.Text, out var literal)) into.AddRange(literal);
        if (second.Kind == AsmTokenKind.Identifier && IsRegisterName(second.Text)
            && inner.TryGetValue(second.Text[0] == 'r' ? "r#" : "w#", out var registers)) into.AddRange(registers);
        if (inner.TryGetValue("#", out var other)) into.AddRange(other);
    }

    /// <summary>Assembles a whole program.</summary>
    public static Instruction[] Assemble(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        var slots = new List<Instruction>();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var fixups = new List<(int Slot, string Label, bool InImm, int Position, int LineNo)>();

        int lineNo = 0;
        for (int lineStart = 0; lineStart <= text.Length;)
        {
            int lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = text.Length;
            lineNo++;
            string line = text.Substring(lineStart, lineEnd - lineStart);
            AssembleLine(line, lineStart, lineNo, slots, labels, fixups);
            lineStart = lineEnd + 1;
        }

        foreach (var (slot, label, inImm, position, fixLine) in fixups)
        {
            if (!labels.TryGetValue(label, out int target))
                throw Error(position, fixLine, $"a defined label; `{label}` is never defined");
            long delta = (long)target - (slot + 1);
            var insn = slots[slot];
            if (inImm)
                slots[slot] = insn.WithImm(checked((int)delta));
            else if (delta < short.MinValue || delta > short.MaxValue)
                throw Error(position, fixLine, $"a jump of at most 32767 slots; `{label}` is {delta} away (use gotol)");
            else
                slots[slot] = insn.WithOffset((short)delta);
        }
        return slots.ToArray();
    }

    /// <summary>Assembles exactly one instruction (one or two slots).</summary>
    public static Instruction[] AssembleInstruction(string line)
    {
        var slots = Assemble(line);
        if (slots.Length == 0) throw Error(0, 1, "an instruction; the text is empty");
        return slots;
    }

    static void AssembleLine(string line, int lineStart, int lineNo, List<Instruction> slots,
        Dictionary<string, int> labels, List<(int, string, bool, int, int)> fixups)
    {
        string body = StripComment(line);
        int from = 0;
        // The regexes only run on lines that can hold what they look for: most lines have no ':' or '>'.
        if (body.IndexOf(':') >= 0)
        {
            var objdumpLabel = ObjdumpLabel.Match(body);
            if (objdumpLabel.Success)
            {
                DefineLabel(objdumpLabel.Groups[1].Value, slots.Count, labels, lineStart, lineNo);
                return;
            }
            var index = IndexPrefix.Match(body);
            if (index.Success)
                from = index.Length;
            else
            {
                var label = PlainLabel.Match(body);
                if (label.Success)
                {
                    DefineLabel(label.Groups[1].Value, slots.Count, labels, lineStart, lineNo);
                    from = label.Length;
                }
            }
        }
        int to = body.Length;
        if (body.TrimEnd().EndsWith(">", StringComparison.Ordinal))
        {
            var annotation = TrailingAnnotation.Match(body, from);
            if (annotation.Success) to = annotation.Index;
        }

        var tokens = AsmTokenizer.Tokenize(body, from, to);
        if (tokens.Count == 0) return;

        int bestDepth = -1;
        InstructionForm? closest = null;
        var candidates = new List<InstructionForm>();
        Candidates(tokens, candidates);
        var parsed = new ParsedFields();
        foreach (var form in candidates)
        {
            parsed.Reset();
            int depth = Match(form, tokens, parsed);
            if (depth == int.MaxValue)
            {
                Emit(form, parsed, slots, fixups, lineStart, lineNo);
                return;
            }
            if (depth > bestDepth) { bestDepth = depth; closest = form; }
        }
        var bad = bestDepth < tokens.Count ? tokens[Math.Max(bestDepth, 0)] : tokens[tokens.Count - 1];
        throw Error(lineStart + bad.Position, lineNo,
            $"an instruction in llvm-objdump syntax; cannot read `{body.Substring(from, to - from).Trim()}` at `{bad.Text}`" +
            (closest is null ? "" : $" (closest form: `{closest.Display}`)"), bad.Position + 1);
    }

    static void DefineLabel(string name, int slot, Dictionary<string, int> labels, int lineStart, int lineNo)
    {
        if (labels.ContainsKey(name)) throw Error(lineStart, lineNo, $"a new label name; `{name}` is defined twice");
        labels[name] = slot;
    }

    static readonly string[] CommentMarkers = { "#", ";", "//" };

    static string StripComment(string line)
    {
        int cut = line.Length;
        foreach (var marker in CommentMarkers)
        {
            int at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && at < cut) cut = at;
        }
        return line.Substring(0, cut).TrimEnd('\r');
    }

    sealed class ParsedFields
    {
        public int? Dst, Src, Offset, Imm, Imm2;
        public string? Label;
        public int LabelPosition;

        public void Reset()
        {
            Dst = Src = Offset = Imm = Imm2 = null;
            Label = null;
            LabelPosition = 0;
        }
    }

    /// <summary>Matches a form's tokens; returns int.MaxValue on a full match, else how many input tokens fitted.</summary>
    static int Match(InstructionForm form, List<AsmToken> input, ParsedFields p)
    {
        int pos = 0;
        foreach (var t in form.Tokens)
        {
            if (t.Kind != AsmTokenKind.Placeholder)
            {
                if (pos >= input.Count || input[pos].Kind == AsmTokenKind.Bad || input[pos].Text != t.Text) return pos;
                pos++;
                continue;
            }
            if (!MatchPlaceholder(t.Text, input, ref pos, p)) return pos;
        }
        return pos == input.Count ? int.MaxValue : pos;
    }

    static bool MatchPlaceholder(string name, List<AsmToken> input, ref int pos, ParsedFields p)
    {
        switch (name)
        {
            case "$rd": return Register(input, ref pos, 'r', ref p.Dst);
            case "$wd": return Register(input, ref pos, 'w', ref p.Dst);
            case "$rs": return Register(input, ref pos, 'r', ref p.Src);
            case "$ws": return Register(input, ref pos, 'w', ref p.Src);
            case "$psrc": return Number(input, ref pos, false, false, 1, 6, ref p.Src);
            case "$imm":
            case "$uimm": return Number(input, ref pos, true, false, int.MinValue, uint.MaxValue, ref p.Imm);
            case "$imm2": return Number(input, ref pos, true, false, int.MinValue, uint.MaxValue, ref p.Imm2);
            case "$offn": return Number(input, ref pos, true, false, short.MinValue, short.MaxValue, ref p.Offset);
            case "$moff": return Number(input, ref pos, true, true, short.MinValue, short.MaxValue, ref p.Offset);
            case "$mimm": return Number(input, ref pos, true, true, int.MinValue, int.MaxValue, ref p.Imm);
            case "$ashi": return Half(input, ref pos, p, high: true);
            case "$aslo": return Half(input, ref pos, p, high: false);
            case "$tgt": return Target(input, ref pos, short.MinValue, short.MaxValue, ref p.Offset, p);
            case "$ctgt": return Target(input, ref pos, int.MinValue, int.MaxValue, ref p.Imm, p);
            case "$label": return pos < input.Count && input[pos].Kind == AsmTokenKind.Identifier && Target(input, ref pos, 0, 0, ref p.Imm, p);
            case "$imm64": return Imm64(input, ref pos, p);
            default: throw new InvalidOperationException($"unknown template placeholder {name}");
        }
    }

    static bool Register(List<AsmToken> input, ref int pos, char prefix, ref int? field)
    {
        if (pos >= input.Count) return false;
        var t = input[pos];
        if (t.Kind != AsmTokenKind.Identifier || t.Text.Length < 2 || t.Text[0] != prefix) return false;
        if (!int.TryParse(t.Text.Substring(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int reg)
            || reg > 10 || (t.Text.Length > 2 && t.Text[1] == '0'))
            return false;
        return Set(ref field, reg, ref pos);
    }

    /// <summary>[sign] number within [min, max]; values above int.MaxValue wrap (0xffffffff == -1).</summary>
    static bool Number(List<AsmToken> input, ref int pos, bool signed, bool signRequired, long min, long max, ref int? field)
    {
        int at = pos;
        if (!ReadSigned(input, ref at, signed, signRequired, out long value) || value < min || value > max) return false;
        pos = at - 1;
        return Set(ref field, unchecked((int)value), ref pos);
    }

    static bool ReadSigned(List<AsmToken> input, ref int at, bool signed, bool signRequired, out long value)
    {
        value = 0;
        bool negative = false, hasSign = false;
        if (signed && at < input.Count && input[at].Kind == AsmTokenKind.Punct && input[at].Text is "+" or "-")
        {
            negative = input[at].Text == "-";
            hasSign = true;
            at++;
        }
        if (signRequired && !hasSign) return false;
        if (at >= input.Count || input[at].Kind != AsmTokenKind.Number) return false;
        if (!AsmNumber.TryParseMagnitude(input[at].Text, out ulong magnitude) || magnitude > (ulong)long.MaxValue) return false;
        at++;
        value = negative ? -(long)magnitude : (long)magnitude;
        return true;
    }

    static bool Half(List<AsmToken> input, ref int pos, ParsedFields p, bool high)
    {
        int at = pos;
        if (!ReadSigned(input, ref at, false, false, out long v) || v > 0xffff) return false;
        int current = p.Imm ?? 0;
        p.Imm = high ? (int)(v << 16) | (current & 0xffff) : (int)((uint)current & 0xffff0000u) | (int)v;
        pos = at;
        return true;
    }

    static bool Target(List<AsmToken> input, ref int pos, long min, long max, ref int? field, ParsedFields p)
    {
        if (pos < input.Count && input[pos].Kind == AsmTokenKind.Identifier && !IsRegisterName(input[pos].Text))
        {
            p.Label = input[pos].Text;
            p.LabelPosition = input[pos].Position;
            return Set(ref field, 0, ref pos);
        }
        return Number(input, ref pos, true, true, min, max, ref field);
    }

    static bool Imm64(List<AsmToken> input, ref int pos, ParsedFields p)
    {
        int at = pos;
        bool negative = false;
        if (at < input.Count && input[at].Kind == AsmTokenKind.Punct && input[at].Text is "+" or "-")
        {
            negative = input[at].Text == "-";
            at++;
        }
        if (at >= input.Count || input[at].Kind != AsmTokenKind.Number || !AsmNumber.TryParseMagnitude(input[at].Text, out ulong magnitude))
            return false;
        if (negative && magnitude > 1UL << 63) return false;
        ulong bits = negative ? unchecked(0UL - magnitude) : magnitude;
        p.Imm = unchecked((int)bits);
        p.Imm2 = unchecked((int)(bits >> 32));
        pos = at + 1;
        return true;
    }

    /// <summary>Sets a field; a placeholder used twice (<c>$rd = le16 $rd</c>) must name the same value.</summary>
    static bool Set(ref int? field, int value, ref int pos)
    {
        if (field.HasValue && field.Value != value) return false;
        field = value;
        pos++;
        return true;
    }

    static void Emit(InstructionForm form, ParsedFields p, List<Instruction> slots,
        List<(int, string, bool, int, int)> fixups, int lineStart, int lineNo)
    {
        var insn = new Instruction(form.Opcode, (byte)(p.Dst ?? 0), (byte)(p.Src ?? form.FixedSrc),
            (short)(p.Offset ?? form.FixedOffset), p.Imm ?? form.FixedImm);
        if (p.Label != null)
            fixups.Add((slots.Count, p.Label, form.Template.Contains("$ctgt") || form.Template.Contains("$label"), lineStart + p.LabelPosition, lineNo));
        slots.Add(insn);
        if (form.IsWide)
            slots.Add(new Instruction(0, 0, 0, 0, p.Imm2 ?? 0));
    }

    static BpfFormatException Error(int offset, int lineNo, string expected, int column = 1) =>
        new(Format, offset, $"line {lineNo}, column {column}: {expected}");
}
