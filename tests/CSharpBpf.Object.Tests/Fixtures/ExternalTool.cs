using System;
using System.Diagnostics;
using System.IO;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>Runs a reference tool (llvm-readelf-22, bpftool, ...) when installed; tests use it for live comparisons.</summary>
public static class ExternalTool
{
    public static bool IsInstalled(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, tool))) return true;
        return File.Exists(Path.Combine("/usr/sbin", tool));
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{tool} did not finish in 120 s");
        }
        return new Result(p.ExitCode, stdout, stderrTask.Result);
    }
}
