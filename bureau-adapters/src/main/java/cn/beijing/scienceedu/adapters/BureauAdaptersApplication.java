package cn.beijing.scienceedu.adapters;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BureauAdaptersApplication {

    public static void main(String[] args) {
        SpringApplication.run(BureauAdaptersApplication.class, args);
    }
}
