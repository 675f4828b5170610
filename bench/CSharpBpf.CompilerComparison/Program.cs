using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.CompilerComparison;

// Compiler vs clang. Usage: CSharpBpf.CompilerComparison --twins DIR [--markdown]
// DIR holds <twin>.o built by bench/compare.sh (clang-22 -O2 -g -target bpf -mcpu=v3) from bench/twins/<twin>.c.
string? twins = null;
bool markdown = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--twins" when i + 1 < args.Length: twins = args[++i]; break;
        case "--markdown": markdown = true; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'\nusage: CSharpBpf.CompilerComparison --twins DIR [--markdown]");
            return 2;
    }
}
if (twins is null || !Directory.Exists(twins))
{
    Console.Error.WriteLine("usage: CSharpBpf.CompilerComparison --twins DIR [--markdown]  (DIR: the clang objects; run bench/compare.sh)");
    return 2;
}

string? noKernel = KernelVerifier.WhyNoKernel();
var rows = new List<ComparisonRow>();
foreach (var c in Cases.All)
{
    string twinPath = Path.Combine(twins, c.Twin + ".o");
    if (!File.Exists(twinPath))
    {
        Console.Error.WriteLine($"missing clang object {twinPath} (compile bench/twins/{c.Twin}.c)");
        return 1;
    }
    byte[] theirs = File.ReadAllBytes(twinPath);
    var clangSize = InstructionCounter.Count(theirs, c.Program);
    if (c.CSharp is not { } described)
    {
        string why = $"the generator emitted no skeleton for {c.CSharpClass.Name}";
        var clangOnly = noKernel is null ? KernelVerifier.Measure(theirs, c.Twin, c.Program) : VerifierResult.Unavailable(noKernel);
        rows.Add(new ComparisonRow(c, null, clangSize, VerifierResult.Unavailable(why), clangOnly, why));
        continue;
    }
    byte[] ours = described.GetElfBytes();
    var oursSize = InstructionCounter.Count(ours, c.Program);
    var oursKernel = noKernel is null ? KernelVerifier.Measure(ours, described.Name, c.Program) : VerifierResult.Unavailable(noKernel);
    var clangKernel = noKernel is null ? KernelVerifier.Measure(theirs, c.Twin, c.Program) : VerifierResult.Unavailable(noKernel);
    rows.Add(new ComparisonRow(c, oursSize, clangSize, oursKernel, clangKernel));
}

Console.Write(ComparisonTable.Format(rows, markdown));
return 0;
