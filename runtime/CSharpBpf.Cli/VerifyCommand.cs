using System;
using System.Collections.Generic;
using System.IO;
using CSharpBpf.Object;
using CSharpBpf.Object.Objects;
using CSharpBpf.Verifier;

namespace CSharpBpf.Cli;

/// <summary>
/// `csbpf verify FILE.o`: runs the managed verifier on every program of the object and prints accept or
/// reject per program, the error with its source line (from line_info) and the analysis statistics.
/// Exit code 0 when every verified program is accepted, 1 when one is rejected, 2 on bad input.
/// </summary>
public sealed class VerifyCommand : ICliCommand
{
    public string Name => "verify";

    public string Usage =>
        "verify FILE.o [--stats]\n" +
        "      Verifies each program with the managed verifier (kernel rules: types, bounds, null checks, packet\n" +
        "      ranges, helper prototypes, loops). Prints 'PROGRAM (SECTION): accepted' or 'rejected' with\n" +
        "      'insn N: [code] message' and 'FILE:LINE: source' when the object has line_info.\n" +
        "      Programs of types the verifier does not model are listed as skipped. --stats: processed insns, states, stack.";

    public int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? file = null;
        bool stats = false;
        foreach (var a in args)
        {
            if (a == "--stats") stats = true;
            else if (a.StartsWith("-", StringComparison.Ordinal)) { error.WriteLine($"csbpf verify: unknown option {a}"); return 2; }
            else if (file == null) file = a;
            else { error.WriteLine("csbpf verify: one FILE only"); return 2; }
        }
        if (file == null) { error.WriteLine("usage: csbpf " + Usage); return 2; }

        BpfObjectFile obj;
        try
        {
            obj = BpfObjectFile.Read(File.ReadAllBytes(file));
        }
        catch (IOException e) { error.WriteLine($"csbpf verify: {file}: {e.Message}"); return 2; }
        catch (UnauthorizedAccessException e) { error.WriteLine($"csbpf verify: {file}: {e.Message}"); return 2; }
        catch (BpfFormatException e) { error.WriteLine($"csbpf verify: {file}: {e.Message}"); return 2; }

        var results = new Dictionary<string, VerificationResult>();
        foreach (var r in BpfVerifier.VerifyObject(obj)) results[r.ProgramName] = r;
        bool allOk = true;
        foreach (var fn in obj.Programs)
        {
            if (!results.TryGetValue(fn.Name, out var r))
            {
                output.WriteLine($"{fn.Name} ({fn.SectionName}): skipped: program type not modelled by the managed verifier");
                continue;
            }
            output.WriteLine($"{fn.Name} ({fn.SectionName}): {(r.IsAccepted ? "accepted" : "rejected")}");
            foreach (var e in r.Errors)
            {
                allOk = false;
                output.WriteLine($"  insn {e.InstructionIndex}: [{e.Code}] {e.Message}");
                if (e.Source != null)
                    output.WriteLine($"  {e.Source.FileName}:{e.Source.Line}:{e.Source.Column}: {e.Source.LineText.Trim()}");
            }
            if (stats) output.WriteLine($"  {r.Statistics}");
        }
        return allOk ? 0 : 1;
    }
}
