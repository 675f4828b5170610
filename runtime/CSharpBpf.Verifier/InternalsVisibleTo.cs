[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("CSharpBpf.Verifier.Tests")]
