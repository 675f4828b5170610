using System;
using System.Diagnostics;
using System.IO;

namespace CSharpBpf.Compiler.Tests.Backend.Emit;

/// <summary>Runs reference tools (bpftool, llvm-objdump) when installed; they are fixtures, not dependencies.</summary>
internal static class ExternalTools
{
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (dir.Length == 0) continue;
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    public static (int exit, string stdout, string stderr) Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{exe} did not finish in 60 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
