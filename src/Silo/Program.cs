namespace LlmRouter.Silo; public static class Program { public static void Main() {} }
